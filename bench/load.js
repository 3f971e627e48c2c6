'use strict'
// Repeated hunts in one process must not grow it: runs N hunts (default 200) of code that leaks
// a little, and prints RSS and heap used after major GCs at checkpoints, with the growth per
// hunt over the second half (after warm-up) against the growth of the code's own leak.
// Usage: node --expose-gc bench/load.js [hunts]
const { hunt, gc } = require('..')

const HUNTS = Number(process.argv[2] || 200)
const ITERATIONS = 5

async function main() {
  const kept = []
  const points = []
  const pause = () => new Promise((resolve) => setTimeout(resolve, 200))
  const sample = async (done) => {
    // V8 frees array buffers (the snapshot chunks) on a concurrent sweeper after a GC, and
    // lowers `external` only then: measured straight after a GC, external swung by ~10 MB
    // from sample to sample and seemed to creep. Two GCs with pauses let the sweeper finish.
    await gc()
    await pause()
    await gc()
    await pause()
    const m = process.memoryUsage()
    // external includes arrayBuffers; the rest is memory native code reported to V8.
    points.push({ done, rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers })
    console.log(`after ${String(done).padStart(4)} hunts: rss ${(m.rss / 1e6).toFixed(1)} MB, heap used ${(m.heapUsed / 1e6).toFixed(2)} MB, external ${(m.external / 1e6).toFixed(2)} MB (array buffers ${(m.arrayBuffers / 1e6).toFixed(2)} MB)`)
  }
  console.log(`Node ${process.version}; ${HUNTS} hunts of ${ITERATIONS} calls, each call keeping one small object`)
  const started = performance.now()
  await sample(0)
  for (let h = 1; h <= HUNTS; h++) {
    const report = await hunt(() => kept.push({ h }), { iterations: ITERATIONS })
    if (!report.leaks.some((g) => g.name === 'Object')) throw new Error(`hunt ${h} missed the leak`)
    if (h % Math.max(1, Math.floor(HUNTS / 10)) === 0) await sample(h)
  }
  const half = points.find((p) => p.done >= HUNTS / 2)
  const last = points[points.length - 1]
  const per = (key) => ((last[key] - half[key]) / (last.done - half.done) / 1024).toFixed(2)
  // The code under test leaks (warmup + 2 rounds) objects per hunt on purpose: ~50 B each.
  const ownLeak = ((ITERATIONS * 3 + 3) * 56) / 1024
  console.log(`\n${HUNTS} hunts in ${((performance.now() - started) / 1000).toFixed(0)} s`)
  console.log(`growth per hunt over the second half: rss ${per('rss')} kB, heap used ${per('heapUsed')} kB (the hunted code itself keeps ~${ownLeak.toFixed(2)} kB per hunt), external ${per('external')} kB, of which array buffers ${per('arrayBuffers')} kB`)
}
main()
