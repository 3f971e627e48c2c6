'use strict'
// readSnapshot against JSON.parse of the same file, measured in the same run, each in a
// fresh process; plus peak RSS and the time of the dominator pass (inside summary()) and
// the core's own phase timings. Usage: npm run bench [-- 200 700]   (sizes in MB)
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const sizes = process.argv.slice(2).map(Number)
if (sizes.length === 0) sizes.push(200, 700)
const RUNS = 3
const outDir = path.join(__dirname, 'out')
fs.mkdirSync(outDir, { recursive: true })

const run = (args, opts = {}) => execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20, ...opts })
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const mb = (bytes) => (bytes / 1e6).toFixed(0)

console.log(`machine: ${os.cpus().length} × ${os.cpus()[0].model}, ${mb(os.totalmem())} MB; Node ${process.version}`)
const phasesBin = path.join(__dirname, '..', 'target', 'release', 'examples', 'phases')
for (const size of sizes) {
  const file = path.join(outDir, `heap-${size}mb.heapsnapshot`)
  if (!fs.existsSync(file)) {
    console.log(`generating ${path.relative(process.cwd(), file)} ...`)
    run(['--max-old-space-size=16000', path.join(__dirname, 'generate.js'), String(size), file], { stdio: 'inherit' })
  }
  const bytes = fs.statSync(file).size
  const results = { 'json-parse': [], read: [], 'read+summary': [] }
  for (let r = 0; r < RUNS; r++) {
    // Alternate, so that neither side always runs on a warmer machine.
    for (const what of r % 2 ? ['read', 'read+summary', 'json-parse'] : ['json-parse', 'read', 'read+summary']) {
      results[what].push(JSON.parse(run([path.join(__dirname, 'measure.js'), what, file])))
    }
  }
  const read = results.read
  const full = results['read+summary']
  const parse = results['json-parse']
  const readMs = median(read.map((x) => x.ms))
  console.log(`\n${path.basename(file)}: ${mb(bytes)} MB, ${read[0].nodeCount} nodes`)
  console.log(`  readSnapshot:  median ${readMs.toFixed(0)} ms (${read.map((x) => x.ms.toFixed(0)).join(', ')}), ${(bytes / 1e6 / (readMs / 1000)).toFixed(0)} MB/s`)
  console.log(`  peak RSS:      ${mb(median(read.map((x) => x.maxRss)))} MB = ${(median(read.map((x) => x.maxRss)) / bytes).toFixed(2)}× the file for readSnapshot (whole process; JS heap ${mb(read[0].heapUsed)} MB)`)
  console.log(`  summary():     median ${median(full.map((x) => x.summaryMs)).toFixed(0)} ms (dominators, retained sizes, class totals); peak RSS with it ${mb(median(full.map((x) => x.maxRss)))} MB = ${(median(full.map((x) => x.maxRss)) / bytes).toFixed(2)}×`)
  if (parse.some((x) => x.error)) {
    console.log(`  JSON.parse:    cannot: ${parse.find((x) => x.error).error} — no ratio for this size`)
  } else {
    const parseMs = median(parse.map((x) => x.ms))
    console.log(`  JSON.parse:    median ${parseMs.toFixed(0)} ms (${parse.map((x) => x.ms.toFixed(0)).join(', ')}), peak RSS ${mb(median(parse.map((x) => x.maxRss)))} MB`)
    console.log(`  ratio:         readSnapshot is ${(parseMs / readMs).toFixed(1)}× faster than JSON.parse, in ${(median(parse.map((x) => x.maxRss)) / median(read.map((x) => x.maxRss))).toFixed(1)}× less memory`)
  }
  if (fs.existsSync(phasesBin)) {
    const phases = JSON.parse(execFileSync(phasesBin, [file], { encoding: 'utf8' }))
    console.log(`  core phases:   parse ${phases.parseS}s on two threads (${phases.oneThreadParseS}s on one; ids only ${phases.idsParseS}s), graph ${phases.buildS}s, dominators ${phases.dominatorsS}s, retainer paths ${phases.retainersS}s, class summary ${phases.summaryS}s`)
  } else {
    console.log('  (core phases: run `cargo build --release --no-default-features --example phases` to see them)')
  }
}
