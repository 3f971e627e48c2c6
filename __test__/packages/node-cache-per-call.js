'use strict'
// node-cache arms a check timer per instance (checkperiod, 600 s by default) that re-arms
// itself until close(): a cache made per call and dropped stays alive with its timer.
const NodeCache = require('node-cache-5.1.2')
module.exports = {
  package: 'node-cache@5.1.2',
  kind: 'leak',
  expect: { holder: /^timers armed per call/, name: 'NodeCache', perCall: 1, cause: 'timer', hint: /NodeCache\.prototype\.close\(\)/ },
  action(i) {
    const cache = new NodeCache()
    cache.set('user', { id: i })
    return cache.get('user')
  },
}
