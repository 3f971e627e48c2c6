'use strict'
// eventemitter3: a listener per call on a long-lived emitter, never removed. eventemitter3
// keeps one EE record per listener in its own _events (an object, or a record then an Array).
const EventEmitter = require('eventemitter3-5.0.4')
const ticker = new EventEmitter()
class Dashboard {
  constructor(i) {
    this.id = i
  }
}
module.exports = {
  package: 'eventemitter3@5.0.4',
  kind: 'leak',
  expect: { holder: /^ticker\._events\.tick$/, name: /EE/, perCall: 1, cause: 'event-listener' },
  action(i) {
    const view = new Dashboard(i)
    ticker.on('tick', () => view.id)
  },
}
