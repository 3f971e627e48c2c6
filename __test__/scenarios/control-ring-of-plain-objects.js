'use strict'
// control-ring-buffer-full.js with object literals of numbers: a full ring of 64 slots, the
// oldest overwritten per call. As many entries at the end as at the start: churn.
const ring = Array.from({ length: 64 }, (_, i) => ({ id: -i, status: 200 }))
let next = 0
module.exports = {
  kind: 'control',
  action(i) {
    ring[next] = { id: i, status: 200 }
    next = (next + 1) % ring.length
  },
}
