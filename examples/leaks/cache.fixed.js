'use strict'
// The fix: a bounded cache (here the simplest LRU: a Map in insertion order, capped).
class RenderedPage {
  constructor(key) {
    this.key = key
    this.html = `<p>${key}</p>`
  }
}

const MAX_ENTRIES = 5
const pageCache = new Map()
let request = 0

exports.action = () => {
  const key = `/orders?page=1&t=${request++}`
  let page = pageCache.get(key)
  if (page) pageCache.delete(key) // re-inserted below: most recent last
  else page = new RenderedPage(key)
  pageCache.set(key, page)
  if (pageCache.size > MAX_ENTRIES) pageCache.delete(pageCache.keys().next().value)
  return page.html.length
}
