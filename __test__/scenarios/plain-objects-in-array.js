'use strict'
// Object literals of numbers only pushed per call: an object with no edges of its own (its
// fields are small integers inside it) is still one entry more per call.
const counters = []
let next = 0
module.exports = {
  kind: 'leak',
  expect: { name: 'Object', perCall: 1, holder: /counters/, cause: 'collection-cache' },
  action() {
    counters.push({ id: next++, hits: 0 })
  },
}
