'use strict'
// lru-cache at its size (max 100, filled before the hunt): each set() evicts the least recently
// used entry. The cache's key and value lists gain new objects in old slots but never more
// entries: churn, not a leak.
const { LRUCache } = require('lru-cache-10.4.3')
class RenderedPage {
  constructor(i) {
    this.i = i
    this.html = `<p>${i}</p>`
  }
}
const cache = new LRUCache({ max: 100 })
for (let i = 0; i < 100; i++) cache.set(`warm-${i}`, new RenderedPage(-i))
let n = 0
module.exports = {
  package: 'lru-cache@10.4.3',
  kind: 'control',
  action() {
    const key = `/orders?page=${n++}`
    cache.set(key, new RenderedPage(n))
    return cache.get(key).html.length
  },
}
