'use strict'
// A listener added on every call to an emitter that lives for ever, and never removed.
// Run: npx leakhunt run examples/leaks/listener.leaky.js
const { EventEmitter } = require('node:events')

const orders = new EventEmitter()
orders.setMaxListeners(0) // silences the warning that would have told you

exports.expectCause = 'event-listener'

exports.action = () => {
  const request = { id: Math.random(), body: 'x'.repeat(100) }
  orders.on('shipped', function notifyCustomer(order) {
    if (order.id === request.id) console.log('shipped', request.id)
  })
  orders.emit('placed', request)
}
