'use strict'
// The last request kept in a module variable, each keeping the one before it: a chain that
// grows by one per call, named by the variable.
class Request {
  constructor(previous) {
    this.previous = previous
    this.at = Date.now()
  }
}
let lastRequest = null
module.exports = {
  kind: 'leak',
  expect: { name: 'Request', perCall: 1, holder: /lastRequest/, label: /^lastRequest$/, cause: 'module-variable' },
  action() {
    lastRequest = new Request(lastRequest)
  },
}
