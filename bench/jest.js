'use strict'
// A clean `expect(fn).not.toLeak()` in a real Jest worker, against three bare
// v8.getHeapSnapshot() calls made by a test in the same worker (the same heap: Jest's modules,
// the test file, leakhunt), measured in the same run. Synchronous and asynchronous calls of the
// runner fixtures' order handler (__test__/runners/app.js), as in the Jest example of docs/test-runners.md.
// Usage: node bench/jest.js [runs]   (default 3)
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { makeProject, runIn, JEST } = require('../__test__/helpers/runner-project.js')

const RUNS = Number(process.argv[2] || 3)
const ROOT = path.join(__dirname, '..')
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const SUITE = `const v8 = require('node:v8')
const { placeOrder } = require('../app.js')
const timings = []
afterAll(() => require('node:fs').writeFileSync(process.env.BENCH_OUT, JSON.stringify(timings)))
async function timed(name, body) {
  const t0 = performance.now()
  await body()
  timings.push({ name, ms: performance.now() - t0, heapUsed: process.memoryUsage().heapUsed })
}
test('three bare snapshots', () =>
  timed('bare', async () => {
    for (let k = 0; k < 3; k++) for await (const chunk of v8.getHeapSnapshot()) void chunk
  }))
test('clean, synchronous calls', () => timed('sync', () => expect(() => placeOrder()).not.toLeak({ iterations: 20 })))
test('clean, asynchronous calls', () => timed('async', () => expect(async () => placeOrder()).not.toLeak({ iterations: 20 })))
test('clean, synchronous calls, again', () => timed('sync-again', () => expect(() => placeOrder()).not.toLeak({ iterations: 20 })))
`

const project = makeProject((dir) => fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'leakhunt'), 'dir'))
try {
  fs.writeFileSync(path.join(project, 'jest', 'bench.test.js'), SUITE)
  const runs = []
  for (let r = 0; r < RUNS; r++) {
    const out = path.join(project, `timings-${r}.json`)
    // Two workers, so the suite runs in a worker process, as most suites do.
    const { code, out: log } = runIn(project, [JEST, '--config', 'jest.config.js', '--maxWorkers=2', 'jest/bench', 'jest/clean'], { env: { BENCH_OUT: out } })
    if (code !== 0) throw new Error(`jest failed:\n${log}`)
    runs.push(Object.fromEntries(JSON.parse(fs.readFileSync(out, 'utf8')).map((t) => [t.name, t])))
  }
  const ms = (name) => median(runs.map((r) => r[name].ms))
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0].model}; Node ${process.version}; ${RUNS} runs, medians`)
  console.log(`heap used in the worker: ${(runs[0].bare.heapUsed / 1e6).toFixed(0)} MB`)
  console.log(`  3 bare snapshots:          ${(ms('bare') / 1000).toFixed(2)} s`)
  // The first hunt of a worker may meet what the worker still finishes lazily (on Node 22,
  // undici's llhttp WebAssembly compiling in the background: one-time growth, a second round).
  for (const [name, label] of [['sync', 'clean, sync calls: '], ['async', 'clean, async calls:'], ['sync-again', 'sync calls, again:']]) {
    console.log(`  toLeak, ${label} ${(ms(name) / 1000).toFixed(2)} s = ${(ms(name) / ms('bare')).toFixed(2)}× three bare snapshots`)
  }
} finally {
  fs.rmSync(project, { recursive: true, force: true })
}
