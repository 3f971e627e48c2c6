'use strict'
// A listener added with once() for an event that never comes: once() removes it only when the
// event fires, so every call's listener stays, with what it keeps.
const { EventEmitter } = require('node:events')
const lifecycle = new EventEmitter()
lifecycle.setMaxListeners(0)
module.exports = {
  kind: 'leak',
  expect: { name: /(onceWrapper|wrapper)\(\)$/, perCall: 1, holder: /_events/, cause: 'event-listener', hint: /once\(\) removes it only when 'shutdown' fires/, detail: /added with once\(\)/ },
  action() {
    const job = { started: Date.now() }
    lifecycle.once('shutdown', () => job.started)
  },
}
