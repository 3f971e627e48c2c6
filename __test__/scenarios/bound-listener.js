'use strict'
// A bound method added per call as a listener and never removed. V8 names every bound
// function "native_bind"; the report names what it is bound to.
const { EventEmitter } = require('node:events')
const clock = new EventEmitter()
clock.setMaxListeners(0)

class Subscription {
  constructor(i) {
    this.i = i
  }

  onTick() {
    return this.i
  }
}

module.exports = {
  kind: 'leak',
  expect: { name: 'bound onTick()', perCall: 1, holder: /clock|_events/, cause: 'event-listener', listenerEvent: 'tick' },
  action(i) {
    const subscription = new Subscription(i)
    clock.on('tick', subscription.onTick.bind(subscription))
  },
}
