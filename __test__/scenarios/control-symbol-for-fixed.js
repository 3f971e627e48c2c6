'use strict'
// Symbol.for() with a fixed set of keys: registered once each.
const KINDS = ['orders', 'users', 'health']
const seen = { keys: 0 }
module.exports = {
  kind: 'control',
  action(i) {
    seen.keys += Symbol.for(`kind:${KINDS[i % KINDS.length]}`).description.length
  },
}
