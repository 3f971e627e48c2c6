'use strict'
// Promises that never settle, kept in a list; each holds its request through a reaction
// (a .then callback waiting for a reply that never comes).
const waiting = []
class PendingRequest {
  constructor(i) {
    this.i = i
  }
}
module.exports = {
  kind: 'leak',
  expect: { name: 'PendingRequest', perCall: 1, holder: /waiting.*(reactions|Promise)/, cause: 'pending-promise' },
  action(i) {
    const request = new PendingRequest(i)
    const reply = new Promise(() => {})
    reply.then(() => request.i)
    waiting.push(reply)
  },
}
