'use strict'
// The same immutable copy, kept to its last 200 numbers (full before the baseline).
let samples = Array.from({ length: 200 }, (_, i) => i / 7)
module.exports = {
  kind: 'control',
  action() {
    samples = [...samples, performance.now()].slice(-200)
  },
}
