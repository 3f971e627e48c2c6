'use strict'
// A Map used as a cache, keyed by something new on every call, with no eviction.
class RenderedPage {
  constructor(key) {
    this.key = key
    this.html = `<p>${key}</p>`
  }
}

const pageCache = new Map()
let request = 0

exports.expectCause = 'collection-cache'

exports.action = () => {
  const key = `/orders?page=1&t=${request++}` // a timestamp in the key: every call misses
  if (!pageCache.has(key)) pageCache.set(key, new RenderedPage(key))
  return pageCache.get(key).html.length
}
