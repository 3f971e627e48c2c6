'use strict'
// An LRU of capacity 5 that replaces entries: it stays at its capacity.
const lru = new Map()
class LruEntry {
  constructor(i) {
    this.i = i
  }
}
module.exports = {
  kind: 'control',
  action(i) {
    lru.set(`key-${i}-${Math.random()}`, new LruEntry(i))
    if (lru.size > 5) lru.delete(lru.keys().next().value)
  },
}
