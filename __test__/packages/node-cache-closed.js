'use strict'
// The same, closed when done: its timer is cleared and the cache goes.
const NodeCache = require('node-cache-5.1.2')
module.exports = {
  package: 'node-cache@5.1.2',
  kind: 'control',
  action(i) {
    const cache = new NodeCache()
    cache.set('user', { id: i })
    const user = cache.get('user')
    cache.close()
    return user
  },
}
