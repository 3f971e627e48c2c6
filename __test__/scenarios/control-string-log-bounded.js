'use strict'
// The log string kept to its last 2,000 characters: slice() copies the tail, and the old
// value is let go. Not a leak.
let log = ''
let next = 0
module.exports = {
  kind: 'control',
  action() {
    log = (log + `request ${next++} handled at ${Date.now()}\n`).slice(-2000)
  },
}
