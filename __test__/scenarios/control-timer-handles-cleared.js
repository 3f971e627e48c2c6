'use strict'
// Handles kept in an Array, and each cleared and dropped when its work is done (here: on the
// next call), the way the fix reads.
const intervals = []
const stats = { polls: 0 }
module.exports = {
  kind: 'control',
  action() {
    while (intervals.length > 0) clearInterval(intervals.pop())
    intervals.push(setInterval(() => stats.polls++, 900_000))
  },
}
