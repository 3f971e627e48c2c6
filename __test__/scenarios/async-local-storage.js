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
  expect: { name: 'RequestContext', perCall: 1, holder: /Timeout|async|store|kResourceStore|context/i, cause: 'async-local-storage' },
  action(i) {
    requestContext.run(new RequestContext(i), () => {
      setInterval(() => {}, 3_600_000).unref()
    })
  },
}
