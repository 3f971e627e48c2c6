'use strict'
// The same subscription, ended when its client goes: return() unsubscribes the listener.
const { PubSub } = require('graphql-subscriptions-2.0.0')
const pubsub = new PubSub()
module.exports = {
  package: 'graphql-subscriptions@2.0.0',
  kind: 'control',
  async action() {
    const orders = pubsub.asyncIterator('ORDER_PLACED')
    orders.next()
    await orders.return()
  },
}
