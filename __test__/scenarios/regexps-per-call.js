'use strict'
// A RegExp built per call from a value (a search term) and kept: V8 names each by its source,
// yet they are one class that grows.
const filters = []
let next = 0
module.exports = {
  kind: 'leak',
  expect: { name: 'RegExp', perCall: 1, holder: /filters/, cause: 'collection-cache' },
  action() {
    filters.push(new RegExp(`^order-${next++}-[a-z]+$`, 'i'))
  },
}
