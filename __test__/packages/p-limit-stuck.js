'use strict'
// p-limit with a concurrency of one, whose first task never settles (a request without a
// timeout): every later call's task waits in p-limit's queue (yocto-queue's linked list) for
// ever. The list is appended to at its tail; nothing is replaced.
const pLimit = require('p-limit-3.1.0')
const limit = pLimit(1)
const neverAnswered = new Promise(() => {})
module.exports = {
  package: 'p-limit@3.1.0',
  kind: 'leak',
  expect: { holder: /queue\._head$/, perCall: 1, cause: 'chained-value', hint: /queue of pending work/ },
  action() {
    limit(() => neverAnswered)
  },
}
