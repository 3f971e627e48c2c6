'use strict'
// A journal flattened on every call and cut to its last 3,000 characters (full before the
// baseline): it keeps its size.
let journal = 'x'.repeat(3000)
let next = 0
module.exports = {
  kind: 'control',
  action() {
    journal = (journal + `entry ${next++} at ${Date.now()}\n`).trim().slice(-3000)
  },
}
