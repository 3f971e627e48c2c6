'use strict'
// The same receive buffer, consumed once a frame is whole (here: every call): it keeps its size.
const received = new Map([['acme', Buffer.alloc(0)]])
module.exports = {
  kind: 'control',
  action(i) {
    const pending = Buffer.concat([received.get('acme'), Buffer.from(`frame ${String(i).padStart(4, '0')} ${'z'.repeat(87)}\n`)])
    received.set('acme', pending.subarray(pending.indexOf(10) + 1))
  },
}
