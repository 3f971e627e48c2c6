'use strict'
// A request context held through AsyncLocalStorage by a timer started inside the request.
const { AsyncLocalStorage } = require('node:async_hooks')
const requestContext = new AsyncLocalStorage()
class RequestContext {
  constructor(i) {
    this.requestId = i
  }
}
module.exports = {
  kind: 'leak',
  // The growth point is Node's timer list: a timer armed per call and never cleared is the
  // leak, and each keeps the store of the call that armed it (on Node 24 through an
  // AsyncContextFrame, which the cause must see through to the store).
  expect: { name: 'RequestContext', perCall: 1, holder: /Timeout|TimersList/, cause: 'timer', detail: /keeping a RequestContext alive/ },
  action(i) {
    requestContext.run(new RequestContext(i), () => {
      setInterval(() => {}, 3_600_000).unref()
    })
  },
}
