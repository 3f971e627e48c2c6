'use strict'
// The correct use of node-cron 3: one task scheduled for the process (on the first call, a
// warm-up call: the test runner that reads this file must not get a timer), the calls only
// queue work for it.
const cron = require('node-cron-3.0.3')
const queue = []
let task = null
module.exports = {
  package: 'node-cron@3.0.3',
  kind: 'control',
  action(i) {
    if (task === null) task = cron.schedule('0 0 1 1 *', () => queue.splice(0))
    queue.push(i)
    queue.splice(0)
  },
}
