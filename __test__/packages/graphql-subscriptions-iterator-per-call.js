'use strict'
// A GraphQL subscription per call: pubsub.asyncIterator() subscribes its listener on the
// first next(), and a client that goes away without the iterator's return() leaves the
// listener (and the iterator's queues) on the PubSub's emitter for good.
const { PubSub } = require('graphql-subscriptions-2.0.0')
const pubsub = new PubSub()
module.exports = {
  package: 'graphql-subscriptions@2.0.0',
  kind: 'leak',
  expect: { holder: /^pubsub\./, name: 'PubSubAsyncIterator', perCall: 1, cause: 'collection-cache', hint: /return\(\) on each PubSubAsyncIterator/ },
  action() {
    const orders = pubsub.asyncIterator('ORDER_PLACED')
    orders.next()
  },
}
