'use strict'
// The target of bench/attach.js: a process with a heap of about N MB used (built as
// bench/hunt-child.js builds it) and `leakOnce()`, which keeps one object per call, the leak
// hunt-child.js's 'hunt' makes in-process. Started with --inspect=127.0.0.1:0; prints "ready".
// Usage: node --inspect=127.0.0.1:0 bench/attach-target.js <MB>
const mb = Number(process.argv[2])
globalThis.__heap = []
for (let i = 0; process.memoryUsage().heapUsed < mb * 1e6; ) {
  for (const end = i + 100_000; i < end; i++) globalThis.__heap.push({ id: i, tag: i % 97 === 0 ? `t${i}` : null })
}
const kept = []
globalThis.leakOnce = () => kept.push({ leaked: true })
process.stdout.write('ready\n')
setInterval(() => {}, 1 << 30)
