'use strict'
// A receive buffer per tenant in a Map, replaced on every call by a bigger copy and never
// consumed: the Map's value sits in its hash table and is found again by its key.
const received = new Map([['acme', Buffer.alloc(0)]])
module.exports = {
  kind: 'leak',
  expect: { name: 'Buffer', reason: 'grows-in-bytes', holder: /received/, label: /^received\.get\("acme"\)$/, cause: 'grows-in-bytes', detail: /`received\.get\("acme"\)` grows by 99 B per call/ },
  action(i) {
    received.set('acme', Buffer.concat([received.get('acme'), Buffer.from(`frame ${String(i).padStart(4, '0')} ${'z'.repeat(87)}\n`)]))
  },
}
