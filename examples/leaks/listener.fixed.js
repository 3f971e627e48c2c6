'use strict'
// The fix: the listener goes when its work is done (once(), or off() in a finally).
const { EventEmitter } = require('node:events')

const orders = new EventEmitter()

exports.action = () => {
  const request = { id: Math.random(), body: 'x'.repeat(100) }
  function notifyCustomer(order) {
    if (order.id === request.id) console.log('shipped', request.id)
  }
  orders.on('shipped', notifyCustomer)
  try {
    orders.emit('placed', request)
  } finally {
    orders.off('shipped', notifyCustomer)
  }
}
