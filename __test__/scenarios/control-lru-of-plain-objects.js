'use strict'
// control-lru-map-full.js with object literals of numbers under numeric keys: a full LRU of
// 200, one added and the oldest evicted per call.
const MAX = 200
const recent = new Map()
for (let i = 0; i < MAX; i++) recent.set(-i - 1, { id: -i - 1, hits: 1 })
module.exports = {
  kind: 'control',
  action(i) {
    recent.set(i, { id: i, hits: 1 })
    if (recent.size > MAX) recent.delete(recent.keys().next().value)
  },
}
