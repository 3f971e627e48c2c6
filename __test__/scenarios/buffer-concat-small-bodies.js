'use strict'
// The same leak with 28-byte bodies: the log stays a slice of Node's shared Buffer pool
// through both rounds, where the heap shows only the pool's size.
let received = Buffer.alloc(0)
module.exports = {
  kind: 'leak',
  expect: { name: 'Buffer', reason: 'grows-in-bytes', holder: /received/, label: /^received$/, cause: 'grows-in-bytes', detail: /`received` grows by 28 B per call/ },
  action(i) {
    received = Buffer.concat([received, Buffer.from(`ping ${String(i).padStart(6, '0')} from peer 7 ok;\n`)])
  },
}
