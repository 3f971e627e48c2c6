'use strict'
// hunt() against the time V8 itself takes for three bare snapshots of the same heap, measured
// in the same run (alternating, fresh processes), and the JS heap growth and peak RSS during a
// hunt. Two hunts of synchronous calls: on code that leaks (round one finds a growth point, so
// a second round and its snapshot confirm it: two snapshots and two heap walks) and on code
// that does not (one snapshot and two walks).
// Usage: node bench/hunt.js [MB ...]   (default 50 200)
const { execFileSync } = require('node:child_process')
const os = require('node:os')
const path = require('node:path')

const sizes = process.argv.slice(2).map(Number)
if (sizes.length === 0) sizes.push(50, 200)
const RUNS = 3
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const run = (mb, what) =>
  JSON.parse(execFileSync(process.execPath, ['--max-old-space-size=8000', path.join(__dirname, 'hunt-child.js'), String(mb), what], { encoding: 'utf8' }))

console.log(`machine: ${os.cpus().length} × ${os.cpus()[0].model}; Node ${process.version}`)
for (const mb of sizes) {
  const kinds = ['bare', 'bare-one', 'hunt', 'hunt-clean']
  const runs = Object.fromEntries(kinds.map((k) => [k, []]))
  for (let r = 0; r < RUNS; r++) {
    // Rotate the order so that no kind always runs first (the machine warms up).
    for (let j = 0; j < kinds.length; j++) {
      const kind = kinds[(r + j) % kinds.length]
      runs[kind].push(run(mb, kind))
    }
  }
  const secs = (xs) => xs.map((x) => (x.ms / 1000).toFixed(2)).join(', ')
  const bareMs = median(runs.bare.map((x) => x.ms))
  const first = runs.hunt[0]
  console.log(`\n~${mb} MB heap (${first.heapBeforeMB.toFixed(0)} MB used; snapshots ${(first.snapshotBytes / 1e6).toFixed(0)} MB)`)
  console.log(`  3 bare snapshots:    median ${(bareMs / 1000).toFixed(2)} s (${secs(runs.bare)})`)
  // A hunt of clean code takes one snapshot, the first of its process: V8's floor for it.
  const oneMs = median(runs['bare-one'].map((x) => x.ms))
  console.log(`  1 bare snapshot, the process's first: median ${(oneMs / 1000).toFixed(2)} s (${secs(runs['bare-one'])}) = ${(oneMs / bareMs).toFixed(2)}× three`)
  for (const kind of ['hunt-clean', 'hunt']) {
    const xs = runs[kind]
    const ms = median(xs.map((x) => x.ms))
    const snaps = xs[0].snapshots
    const label = kind === 'hunt' ? 'hunt, leaking code:' : 'hunt, clean code:  '
    console.log(`  ${label} median ${(ms / 1000).toFixed(2)} s (${secs(xs)}), ${snaps} snapshot(s) and heap walks, verdict right: ${xs.every((x) => x.found)}`)
    for (const x of xs.filter((x) => !x.found)) console.log(`      wrong verdict in one run: leaks ${JSON.stringify(x.leaks)}, ${x.snapshots} snapshots`)
    console.log(`      ratio: ${(ms / bareMs).toFixed(2)}× three bare snapshots (${((ms / bareMs) * 3 / snaps).toFixed(2)}× per snapshot taken)`)
    const rss = median(xs.map((x) => x.maxRssMB))
    const bareRss = median(runs.bare.map((x) => x.maxRssMB))
    console.log(`      JS heap growth: peak +${median(xs.map((x) => x.peakHeapGrowthMB)).toFixed(1)} MB; peak RSS ${rss.toFixed(0)} MB (${(rss / bareRss).toFixed(2)}× bare snapshots)`)
  }
  console.log(`  bare snapshots: JS heap growth +${median(runs.bare.map((x) => x.peakHeapGrowthMB)).toFixed(1)} MB; peak RSS ${median(runs.bare.map((x) => x.maxRssMB)).toFixed(0)} MB`)
}
