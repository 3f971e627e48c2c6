'use strict'
// A listener added per call to a long-lived emitter and never removed.
const { EventEmitter } = require('node:events')
const orderBus = new EventEmitter()
orderBus.setMaxListeners(0)
module.exports = {
  kind: 'leak',
  expect: { name: 'onOrderPlaced()', perCall: 1, holder: /orderBus|_events/, cause: 'event-listener', listenerEvent: 'placed' },
  action(i) {
    orderBus.on('placed', function onOrderPlaced(order) {
      return order.id === i
    })
  },
}
