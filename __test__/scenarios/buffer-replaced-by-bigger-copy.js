'use strict'
// A webhook log kept as one Buffer, replaced on every call by a copy with the new body
// appended (Buffer.concat). One object for one, so no count of objects grows: its bytes do.
// Small Buffers are slices of Node's shared pool (8 KB; 64 KB on Node 24), so only the
// Buffer's length tells its size.
let webhookLog = Buffer.alloc(0)
let next = 0
module.exports = {
  kind: 'leak',
  expect: { name: 'Buffer', reason: 'grows-in-bytes', holder: /webhookLog/, label: /^webhookLog$/, cause: 'grows-in-bytes', detail: /`webhookLog` grows by 2\d\d B per call/ },
  action() {
    const body = Buffer.from(`{"event":"order.created","id":${next++},"at":${Date.now()},"note":"${'x'.repeat(200)}"}\n`)
    webhookLog = Buffer.concat([webhookLog, body])
  },
}
