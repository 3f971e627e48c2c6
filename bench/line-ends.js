'use strict'
// A process with a large script loaded (TypeScript's compiler, 9 MB: every ts-jest and
// ts-node process): on V8 before 12 (Node 18, 20) a heap snapshot scans a script's source for
// each function's line unless V8 has the script's line ends cached, which a hunt now has it do
// first (lib/gc.js, cacheLineEnds). Per Node, in one child process each: a bare
// v8.getHeapSnapshot() as the process has it (the baseline), a bare one after the Debugger
// domain was enabled and disabled, and a hunt of a small leak.
// Usage: node bench/line-ends.js
const { execFileSync } = require('node:child_process')
const path = require('node:path')
const { otherNodes } = require('../__test__/helpers/snapshots.js')

const ROOT = path.join(__dirname, '..')

const child = `
const v8 = require('node:v8')
const ts = require(${JSON.stringify(require.resolve('typescript'))})
ts.transpileModule('const x: number = 1', {})
const { hunt } = require(${JSON.stringify(ROOT)})
const { cacheLineEndsHere } = require(${JSON.stringify(path.join(ROOT, 'lib', 'gc.js'))})
function bare() {
  const t0 = performance.now()
  const stream = v8.getHeapSnapshot()
  return new Promise((resolve) => { stream.on('data', () => {}); stream.on('end', () => resolve(performance.now() - t0)) })
}
;(async () => {
  const heapUsed = process.memoryUsage().heapUsed
  const plain = await bare()
  await cacheLineEndsHere()
  const cached = await bare()
  const kept = []
  const t0 = performance.now()
  const report = await hunt(() => kept.push({ at: Date.now() }), { iterations: 20 })
  const huntMs = performance.now() - t0
  console.log(JSON.stringify({ heapUsed, plain, cached, huntMs, leaks: report.leaks.length }))
})()
`

const nodes = { [process.versions.node]: process.execPath }
for (const [spec, bin] of Object.entries(otherNodes())) if (/^(18\.17\.0|20\.15\.1|22|24)$/.test(spec)) nodes[spec] = bin

console.log('| Node | heap used | bare snapshot | bare, line ends cached | hunt (2 snapshots, leak found) | hunt ÷ bare |')
console.log('| --- | --- | --- | --- | --- | --- |')
for (const [spec, bin] of Object.entries(nodes)) {
  const version = execFileSync(bin, ['-p', 'process.version'], { encoding: 'utf8' }).trim()
  const r = JSON.parse(execFileSync(bin, ['-e', child], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } }).trim().split('\n').pop())
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`
  console.log(`| ${version}${spec === process.versions.node ? ' (this one)' : ''} | ${Math.round(r.heapUsed / 1e6)} MB | ${s(r.plain)} | ${s(r.cached)} | ${s(r.huntMs)} (${r.leaks} leak) | ${(r.huntMs / r.plain).toFixed(2)}× |`)
}
