'use strict'
// A MessageChannel per call whose port listens and is never closed.
const { MessageChannel } = require('node:worker_threads')
const received = { count: 0 }
module.exports = {
  kind: 'leak',
  expect: { name: 'MessagePort', perCall: 2, holder: /.*/, label: /^message ports opened per call$/, cause: 'open-resource' },
  action() {
    const { port1, port2 } = new MessageChannel()
    port1.on('message', () => received.count++)
    port2.postMessage('ping')
  },
}
