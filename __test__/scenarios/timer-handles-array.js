'use strict'
// Interval handles pushed into an Array that is only cleared at shutdown: each timer is held by
// the Array and by Node's timer list, and must be counted once, in full, under the Array.
const intervals = []
const stats = { polls: 0 }
module.exports = {
  kind: 'leak',
  expect: { name: 'Timeout', perCall: 1, holder: /intervals/, cause: 'timer' },
  action() {
    intervals.push(setInterval(() => stats.polls++, 900_000))
  },
}
