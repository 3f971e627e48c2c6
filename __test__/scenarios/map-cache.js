'use strict'
// A module-level Map used as a cache with a new key per call and no eviction.
const responseCache = new Map()
class CachedResponse {
  constructor(i) {
    this.status = 200
    this.body = { id: i }
  }
}
module.exports = {
  kind: 'leak',
  expect: { name: 'CachedResponse', perCall: 1, holder: /responseCache/, cause: 'collection-cache' },
  action(i) {
    responseCache.set(`/orders/${i}?t=${Math.random()}`, new CachedResponse(i))
  },
}
