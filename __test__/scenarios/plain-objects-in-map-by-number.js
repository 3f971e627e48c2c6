'use strict'
// Object literals kept in a Map under numeric keys (no key objects, no value edges): one entry
// more per call.
const byRequest = new Map()
let next = 0
module.exports = {
  kind: 'leak',
  expect: { name: 'Object', perCall: 1, holder: /byRequest/, cause: 'collection-cache' },
  action() {
    const id = next++
    byRequest.set(id, { id, retries: 0 })
  },
}
