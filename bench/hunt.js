'use strict'
// hunt() against the time V8 itself takes for three bare snapshots of the same heap, measured
// in the same run (alternating, fresh processes), and the JS heap growth during a hunt.
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
  const bare = []
  const hunts = []
  for (let r = 0; r < RUNS; r++) {
    if (r % 2) {
      hunts.push(run(mb, 'hunt'))
      bare.push(run(mb, 'bare'))
    } else {
      bare.push(run(mb, 'bare'))
      hunts.push(run(mb, 'hunt'))
    }
  }
  const bareMs = median(bare.map((x) => x.ms))
  const huntMs = median(hunts.map((x) => x.ms))
  const snaps = hunts[0].snapshots
  console.log(`\n~${mb} MB heap (${hunts[0].heapBeforeMB.toFixed(0)} MB used; snapshots ${(hunts[0].snapshotBytes / 1e6).toFixed(0)} MB)`)
  console.log(`  3 bare snapshots: median ${(bareMs / 1000).toFixed(2)} s (${bare.map((x) => (x.ms / 1000).toFixed(2)).join(', ')})`)
  console.log(`  hunt:             median ${(huntMs / 1000).toFixed(2)} s (${hunts.map((x) => (x.ms / 1000).toFixed(2)).join(', ')}), ${snaps} snapshots, leak found: ${hunts.every((x) => x.found)}`)
  console.log(`  ratio:            hunt = ${(huntMs / bareMs).toFixed(2)}× three bare snapshots (${((huntMs / bareMs) * 3 / snaps).toFixed(2)}× per snapshot taken)`)
  console.log(`  JS heap growth during the hunt: peak +${median(hunts.map((x) => x.peakHeapGrowthMB)).toFixed(1)} MB (bare snapshots: +${median(bare.map((x) => x.peakHeapGrowthMB)).toFixed(1)} MB)`)
  console.log(`  peak RSS: hunt ${median(hunts.map((x) => x.maxRssMB)).toFixed(0)} MB, bare ${median(bare.map((x) => x.maxRssMB)).toFixed(0)} MB`)
}
