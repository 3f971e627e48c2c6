'use strict'
// A request-batching loader's promise cache: one promise per key, settled, never evicted. A
// cache of results, not promises waiting.
class Profile {
  constructor(id) {
    this.id = id
  }
}
const promiseCache = new Map()
let next = 0
function loadProfile(id) {
  if (!promiseCache.has(id)) promiseCache.set(id, Promise.resolve(new Profile(id)))
  return promiseCache.get(id)
}
module.exports = {
  kind: 'leak',
  expect: { name: 'Promise', perCall: 1, holder: /promiseCache/, cause: 'collection-cache' },
  action() {
    return loadProfile(`user-${next++}`)
  },
}
