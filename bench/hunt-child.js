'use strict'
// One measurement in a fresh process: builds a heap of about N MB used, then either takes three
// bare snapshots (V8's own cost: capture and serialization, chunks discarded) or runs a hunt on
// code that leaks one object per call ('hunt': walks for the baseline and the target, final, and
// the second round's snapshot) or leaks nothing ('hunt-clean': two walks and the final). Prints
// one JSON line.
// Usage: node bench/hunt-child.js <MB> <bare|bare-one|hunt|hunt-clean>   (bare-one: one snapshot)
// BULK_MB=N adds N MB of large double arrays on top (few nodes, much heap): the ≥ 1 GB heap
// run is `BULK_MB=900 node --max-old-space-size=8000 bench/hunt-child.js 250 hunt`.
const v8 = require('node:v8')
const { hunt } = require('..')

const [mbArg, what] = process.argv.slice(2)
// Grown in batches until heap used reaches the size asked for.
globalThis.__heap = []
for (let i = 0; process.memoryUsage().heapUsed < Number(mbArg) * 1e6; ) {
  for (const end = i + 100_000; i < end; i++) globalThis.__heap.push({ id: i, tag: i % 97 === 0 ? `t${i}` : null })
}
globalThis.__bulk = []
const bulkBytes = (Number(mbArg) + Number(process.env.BULK_MB || 0)) * 1e6
while (process.memoryUsage().heapUsed < bulkBytes) globalThis.__bulk.push(new Array(1_000_000).fill(0.5))
const heapBefore = process.memoryUsage().heapUsed

async function drain() {
  let bytes = 0
  for await (const chunk of v8.getHeapSnapshot()) bytes += chunk.length
  return bytes
}

async function main() {
  const kept = []
  let peakHeap = heapBefore
  const sample = () => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)
  }
  const timer = setInterval(sample, 20)
  const t0 = performance.now()
  let out
  if (what === 'bare' || what === 'bare-one') {
    const count = what === 'bare' ? 3 : 1
    let bytes = 0
    for (let k = 0; k < count; k++) bytes += await drain()
    out = { ms: performance.now() - t0, snapshotBytes: bytes / count }
  } else {
    const leak = what === 'hunt'
    const report = await hunt(() => (leak ? kept.push({ leaked: true }) : { temporary: true }), { iterations: 20, onProgress: sample })
    out = {
      ms: performance.now() - t0,
      // Snapshots taken: the baseline and the target are heap walks (no snapshot text).
      snapshots: Object.values(report.summary.snapshotBytes).filter((bytes) => bytes > 0).length,
      found: leak ? report.leaks.some((g) => g.name === 'Object' && g.count === 20) : report.leaks.length === 0,
      phasesMs: report.summary.phasesMs,
      leaks: report.leaks.map((g) => `${g.name} ×${g.count}`),
      snapshotBytes: report.summary.snapshotBytes.final,
    }
  }
  clearInterval(timer)
  sample()
  out.heapBeforeMB = heapBefore / 1e6
  out.peakHeapGrowthMB = (peakHeap - heapBefore) / 1e6
  out.maxRssMB = (process.resourceUsage().maxRSS * 1024) / 1e6
  console.log(JSON.stringify(out))
}
main()
