'use strict'
// lodash's memoize keeps every result in `memoized.cache` (a MapCache) for ever, keyed by the
// first argument: keyed by something unique per call, it grows without bound.
const memoize = require('lodash-4.17.21/memoize')
const resolveRoute = memoize((path) => ({ path, handler: path.split('/') }))
let n = 0
module.exports = {
  package: 'lodash@4.17.21',
  kind: 'leak',
  expect: { holder: /^resolveRoute\.cache\./, name: 'Object', perCall: 1, cause: 'collection-cache' },
  action() {
    return resolveRoute(`/orders/${n++}`)
  },
}
