'use strict'
// Buffers kept per call (e.g. request bodies kept for debugging).
const bodies = []
module.exports = {
  kind: 'leak',
  expect: { name: /Buffer|Uint8Array/, perCall: 1, holder: /bodies/, cause: 'collection-cache' },
  action(i) {
    bodies.push(Buffer.alloc(4096, i))
  },
}
