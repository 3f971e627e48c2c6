'use strict'
// A request context derived from the previous one on every call (Object.create): each keeps
// the one before as its prototype, and has a hidden class of its own, so no two links share
// a shape. A chain as long as the calls: one per call.
let context = { service: 'orders' }
let next = 0
module.exports = {
  kind: 'leak',
  expect: { name: 'Object', perCall: 1, holder: /context/, label: /^context$/, cause: 'module-variable' },
  action() {
    const derived = Object.create(context)
    derived.requestId = next++
    context = derived
  },
}
