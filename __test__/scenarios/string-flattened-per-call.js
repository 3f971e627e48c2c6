'use strict'
// A journal string appended to and flattened on every call (trim() copies it into one flat
// string): the old value dies, the new one is longer. No count of objects grows.
let journal = ''
let next = 0
module.exports = {
  kind: 'leak',
  expect: { name: '(string)', reason: 'grows-in-bytes', holder: /journal/, label: /^journal$/, cause: 'grows-in-bytes', detail: /`journal` grows by \d+ B per call/ },
  action() {
    journal = (journal + `entry ${next++} at ${Date.now()} ${'y'.repeat(80)}\n`).trim()
  },
}
