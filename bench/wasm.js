'use strict'
// The WebAssembly fallback against the native core, in the same run on the same files: a
// snapshot read in full, the three-file analysis, and a hunt of a real leak, each in a fresh
// process (NAPI_RS_FORCE_WASI=1 for the fallback), the median of RUNS. `JSON.parse` of the
// same final file is the yardstick both are measured against.
//   node bench/wasm.js [megabytes per snapshot, default 50]      (npm run bench:wasm)
// Needs both cores in the checkout: npm install (native) and node scripts/build-all.js wasm32-wasi.
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const RUNS = Number(process.env.RUNS || 3)

if (process.argv[2] === '--child') {
  child(process.argv[3], process.argv.slice(4)).then((out) => console.log(JSON.stringify(out)))
} else {
  main()
}

async function child(what, files) {
  const started = process.hrtime.bigint()
  const ms = () => Number(process.hrtime.bigint() - started) / 1e6
  if (what === 'json-parse') {
    JSON.parse(fs.readFileSync(files[2], 'utf8'))
    return { ms: ms() }
  }
  const leakhunt = require('..')
  const core = require('../lib/binding.js').leakhuntCore.kind
  if (what === 'read') {
    const s = await leakhunt.readSnapshot(files[2])
    return { ms: ms(), core, nodes: s.nodeCount }
  }
  if (what === 'analyze') {
    const report = await leakhunt.analyzeSnapshots(files[0], files[1], files[2])
    return { ms: ms(), core, leaks: report.leaks.length }
  }
  if (what === 'hunt') {
    const { action } = require('../examples/leaks/cache.leaky.js')
    const t = process.hrtime.bigint()
    const report = await leakhunt.hunt(action, { iterations: 20 })
    return { ms: Number(process.hrtime.bigint() - t) / 1e6, core, leaks: report.leaks.length, analysisMs: report.summary.timings?.analysis }
  }
  throw new Error(`unknown measurement ${what}`)
}

function measure(what, files, wasm) {
  const env = { ...process.env, NODE_OPTIONS: '' }
  if (wasm) env.NAPI_RS_FORCE_WASI = '1'
  else delete env.NAPI_RS_FORCE_WASI
  const runs = []
  for (let i = 0; i < RUNS; i++) runs.push(JSON.parse(execFileSync(process.execPath, [__filename, '--child', what, ...files], { env, encoding: 'utf8' }).trim().split('\n').pop()))
  const sorted = [...runs].sort((a, b) => a.ms - b.ms)
  const median = sorted[Math.floor(sorted.length / 2)]
  if (what !== 'json-parse' && median.core !== (wasm ? 'wasm' : 'native')) throw new Error(`${what}: ran the ${median.core} core, not the ${wasm ? 'wasm' : 'native'} one`)
  return median
}

function main() {
  const mb = Number(process.argv[2] || 50)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-bench-wasm-'))
  try {
    execFileSync(process.execPath, [path.join(__dirname, 'generate.js'), String(mb), '--three', dir], { stdio: 'inherit' })
    const files = ['baseline', 'target', 'final'].map((n) => path.join(dir, `${n}.heapsnapshot`))
    const size = fs.statSync(files[2]).size
    console.log(`leakhunt bench:wasm: ${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}; snapshots of ${(size / 1e6).toFixed(0)} MB; median of ${RUNS}`)
    const parse = measure('json-parse', files, false)
    console.log(`JSON.parse of the final file: ${parse.ms.toFixed(0)} ms`)
    console.log('| measurement | native | WebAssembly | wasm / native | wasm / JSON.parse |')
    console.log('| --- | --- | --- | --- | --- |')
    for (const what of ['read', 'analyze', 'hunt']) {
      const native = measure(what, files, false)
      const wasm = measure(what, files, true)
      if (native.leaks !== wasm.leaks) throw new Error(`${what}: native found ${native.leaks} leaks, wasm ${wasm.leaks}`)
      const row = [what === 'read' ? 'readSnapshot (full)' : what === 'analyze' ? 'analyzeSnapshots (3 files)' : 'hunt (cache.leaky.js, 20 calls)']
      row.push(`${native.ms.toFixed(0)} ms`, `${wasm.ms.toFixed(0)} ms`, `${(wasm.ms / native.ms).toFixed(2)}×`, what === 'hunt' ? '–' : `${(wasm.ms / parse.ms).toFixed(2)}×`)
      console.log(`| ${row.join(' | ')} |`)
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
