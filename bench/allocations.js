'use strict'
// What allocation tracking costs. Two measures, each in fresh processes with alternating
// runs and a baseline from the same run:
//   1. an allocation-heavy workload (objects, arrays, strings, closures) with V8's allocation
//      tracker on, and with the sampling heap profiler on, against the same workload with
//      neither;
//   2. a whole hunt({ trackAllocations: true }) against hunt() on the same leaking code and heap.
// Usage: node bench/allocations.js [heapMB]   (default 20)
const { execFileSync } = require('node:child_process')
const inspector = require('node:inspector')
const os = require('node:os')

const RUNS = 5
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

// --- child side ---------------------------------------------------------------------------

function post(session, method, params = {}) {
  return new Promise((resolve, reject) => session.post(method, params, (err, r) => (err ? reject(err) : resolve(r))))
}

/** Allocation-heavy code of the kind request handlers run: mostly short-lived objects. */
function workload(rounds) {
  let sink = 0
  for (let i = 0; i < rounds; i++) {
    const order = { id: i, lines: [], customer: { name: `customer-${i % 1000}` } }
    for (let k = 0; k < 8; k++) order.lines.push({ sku: `sku-${k}`, quantity: k + 1, price: k * 1.5 })
    const total = order.lines.map((l) => l.quantity * l.price).reduce((a, b) => a + b, 0)
    const format = () => `${order.customer.name}: ${total.toFixed(2)}`
    sink += format().length
  }
  return sink
}

async function child(what, heapMB) {
  globalThis.__heap = []
  for (let i = 0; process.memoryUsage().heapUsed < heapMB * 1e6; i++) globalThis.__heap.push({ id: i })
  if (what.startsWith('hunt')) {
    const { hunt } = require('..')
    const kept = []
    const t0 = performance.now()
    const report = await hunt(() => kept.push({ leaked: true, at: workload(200) }), {
      iterations: 20,
      trackAllocations: what === 'hunt-tracked',
    })
    const ms = performance.now() - t0
    const found = report.leaks.some((g) => g.name === 'Object' && g.count === 20)
    return { ms, found, iterationsMs: report.summary.phasesMs.iterations, stacks: report.leaks.map((g) => g.allocationStacks.length) }
  }
  const session = new inspector.Session()
  session.connect()
  if (what === 'tracked') {
    await post(session, 'HeapProfiler.enable')
    await post(session, 'HeapProfiler.startTrackingHeapObjects', { trackAllocations: true })
  } else if (what === 'sampled') {
    await post(session, 'HeapProfiler.enable')
    await post(session, 'HeapProfiler.startSampling', { samplingInterval: 32768 })
  }
  workload(2000) // warm the code in every mode alike
  const t0 = performance.now()
  workload(200_000)
  const ms = performance.now() - t0
  if (what !== 'plain') await post(session, 'HeapProfiler.disable')
  session.disconnect()
  return { ms }
}

// --- parent side --------------------------------------------------------------------------

function measure(heapMB) {
  const run = (what) => JSON.parse(execFileSync(process.execPath, [__filename, '--child', what, String(heapMB)], { encoding: 'utf8' }))
  const series = (kinds) => {
    const out = Object.fromEntries(kinds.map((k) => [k, []]))
    for (let r = 0; r < RUNS; r++) for (let j = 0; j < kinds.length; j++) {
      const kind = kinds[(r + j) % kinds.length]
      out[kind].push(run(kind))
    }
    return out
  }
  const fmt = (xs) => `median ${(median(xs.map((x) => x.ms)) / 1000).toFixed(2)} s (min ${(Math.min(...xs.map((x) => x.ms)) / 1000).toFixed(2)}, max ${(Math.max(...xs.map((x) => x.ms)) / 1000).toFixed(2)})`
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0].model}; Node ${process.version}; ${heapMB} MB of other heap; ${RUNS} runs each`)

  const w = series(['plain', 'tracked', 'sampled'])
  const plain = median(w.plain.map((x) => x.ms))
  console.log('\nAllocation-heavy workload (200,000 orders):')
  console.log(`  no profiler:                 ${fmt(w.plain)}`)
  console.log(`  allocation tracking:         ${fmt(w.tracked)}  → ${(median(w.tracked.map((x) => x.ms)) / plain).toFixed(1)}× slower`)
  console.log(`  sampling profiler (32 kB):   ${fmt(w.sampled)}  → ${(median(w.sampled.map((x) => x.ms)) / plain).toFixed(2)}× slower`)

  const h = series(['hunt', 'hunt-tracked'])
  const bare = median(h.hunt.map((x) => x.ms))
  console.log('\nhunt() on leaking code that allocates (20 calls, 200 orders each):')
  console.log(`  hunt():                          ${fmt(h.hunt)}, verdict right: ${h.hunt.every((x) => x.found)}`)
  console.log(`  hunt({ trackAllocations: true }): ${fmt(h['hunt-tracked'])}, verdict right: ${h['hunt-tracked'].every((x) => x.found)}, stacks found: ${h['hunt-tracked'].every((x) => x.stacks.every((n) => n > 0))}`)
  console.log(`  → ${(median(h['hunt-tracked'].map((x) => x.ms)) / bare).toFixed(2)}× the time of a hunt without tracking; the calls alone ${(median(h['hunt-tracked'].map((x) => x.iterationsMs)) / median(h.hunt.map((x) => x.iterationsMs))).toFixed(1)}× slower`)
}

if (process.argv[2] === '--child') {
  child(process.argv[3], Number(process.argv[4])).then((out) => console.log(JSON.stringify(out)))
} else {
  measure(Number(process.argv[2] || 20))
}
