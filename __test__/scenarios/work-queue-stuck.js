'use strict'
// Tasks behind a concurrency limit of one whose first task never settles: every call's task
// waits in the limit's linked list for ever.
const { limitOne } = require('./lib/limit-one.js')
const limit = limitOne()
const never = new Promise(() => {})
module.exports = {
  kind: 'leak',
  expect: { name: 'Object', perCall: 1, holder: /queue/, cause: 'chained-value', detail: /gains an Object at its end on every call/, hint: /queue of pending work/ },
  action() {
    limit(() => never)
  },
}
