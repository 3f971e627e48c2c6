'use strict'
// What a heap snapshot costs the process it is taken of, by the number of objects, on each Node
// release this checkout has (.cache/node-versions, fetched by the tests): a process holding N
// small objects, or the same bytes in a few large arrays, writes a snapshot to /dev/null; its
// peak RSS (VmHWM) less its RSS before, per object, is what lib/room.js's BYTES_PER_OBJECT says.
//   node bench/snapshot-cost.js [objects, default 1000000]      (npm run bench:snapshot-cost)
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')
const { bytesPerObject } = require('../lib/room.js')

const N = Number(process.argv[2] || 1_000_000)

if (process.argv[2] === '--child') {
  const [, , , shape, n] = process.argv
  const keep = (globalThis.keep = [])
  if (shape === 'small') for (let i = 0; i < Number(n); i++) keep.push({ i })
  // The same heap bytes as the small objects, in arrays of 10,240 slots (80 KB each).
  else for (let i = 0; i < Math.ceil((Number(n) * 48) / 81_920); i++) keep.push(new Array(10_240).fill(i))
  globalThis.gc()
  const hwm = () => Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]) * 1024
  const before = process.memoryUsage().rss
  const heapUsed = process.memoryUsage().heapUsed
  const started = Date.now()
  require('node:v8').writeHeapSnapshot('/dev/null')
  console.log(JSON.stringify({ heapUsed, extra: hwm() - before, ms: Date.now() - started }))
} else {
  main()
}

function nodes() {
  const dir = path.join(__dirname, '..', '.cache', 'node-versions')
  const found = { [process.versions.node.split('.')[0]]: process.execPath }
  for (const v of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const bin = path.join(dir, v, 'package', 'bin', 'node')
    if (/^\d+$/.test(v) && fs.existsSync(bin)) found[v] = bin
  }
  return found
}

function main() {
  const mb = (n) => `${(n / 1048576).toFixed(0)} MB`
  console.log(`| Node | heap (${N.toLocaleString('en-US')} small objects) | peak RSS added | per object | time | same bytes in large arrays: added | lib/room.js says |`)
  console.log('| --- | --- | --- | --- | --- | --- | --- |')
  for (const [major, node] of Object.entries(nodes()).sort((a, b) => a[0] - b[0])) {
    const run = (shape) => JSON.parse(execFileSync(node, ['--expose-gc', __filename, '--child', shape, String(N)], { encoding: 'utf8', maxBuffer: 1 << 20 }))
    const small = run('small')
    const arrays = run('arrays')
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()
    console.log(`| ${version} | ${mb(small.heapUsed)} | ${mb(small.extra)} | ${(small.extra / N).toFixed(0)} B | ${(small.ms / 1000).toFixed(1)} s | ${mb(arrays.extra)} (${mb(arrays.heapUsed)} heap) | ${bytesPerObject(Number(major))} B |`)
  }
}
