'use strict'
// A Map-based LRU of 200 entries, full before the hunt: each call adds one and evicts the least
// recently used. Round two is too short to evict round one's entries, so only the Map's size,
// which never moves, tells this churn from a cache that grows.
class QuoteCacheEntry {
  constructor(key) {
    this.key = key
    this.price = key.length
  }
}
const MAX = 200
const quotes = new Map()
for (let i = 0; i < MAX; i++) quotes.set(`warm-${i}`, new QuoteCacheEntry(`warm-${i}`))
module.exports = {
  kind: 'control',
  action(i) {
    const key = `SKU-${i}-${Date.now()}`
    quotes.set(key, new QuoteCacheEntry(key))
    if (quotes.size > MAX) quotes.delete(quotes.keys().next().value)
  },
}
