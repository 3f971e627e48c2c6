'use strict'
// A callback kept per call that captures a large array it never needs after creation.
const callbacks = []
module.exports = {
  kind: 'leak',
  expect: { name: 'reportSize()', perCall: 1, holder: /callbacks/, cause: 'collection-cache' },
  action(i) {
    const rows = new Array(2000).fill(i)
    callbacks.push(function reportSize() {
      return rows.length
    })
  },
}
