'use strict'
// Strings built per call and kept on a global.
globalThis.__seenRequestIds = []
module.exports = {
  kind: 'leak',
  // A template literal makes several string pieces (cons strings), so at least one per call.
  expect: { name: '(string)', minPerCall: 1, holder: /__seenRequestIds/, cause: 'global-variable' },
  action(i) {
    globalThis.__seenRequestIds.push(`request-${i}-${Math.random().toString(36).slice(2)}`)
  },
}
