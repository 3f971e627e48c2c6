'use strict'
// The last body kept, replaced on every call by one of the same size: not a leak.
let lastBody = Buffer.alloc(0)
let next = 0
module.exports = {
  kind: 'control',
  action() {
    lastBody = Buffer.from(`{"event":"order.created","id":${String(next++).padStart(8, '0')}}`)
    return lastBody.length
  },
}
