'use strict'
// The same limit, whose tasks settle: each waits its turn, runs, and leaves the queue.
const pLimit = require('p-limit-3.1.0')
const limit = pLimit(1)
module.exports = {
  package: 'p-limit@3.1.0',
  kind: 'control',
  action(i) {
    return limit(async () => i * 2)
  },
}
