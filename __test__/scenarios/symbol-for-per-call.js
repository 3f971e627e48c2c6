'use strict'
// Symbol.for() with a key made per call (a tenant id): V8's global symbol registry keeps each.
const seen = { keys: 0 }
let tenant = 0
module.exports = {
  kind: 'leak',
  expect: { name: '(symbol)', perCall: 1, holder: /Strong roots|public_symbol_table/, cause: 'symbol-registry' },
  action() {
    const key = Symbol.for(`tenant:${tenant++}`)
    seen.keys += key.description.length
  },
}
