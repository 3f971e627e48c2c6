'use strict'
// prom-client registers every metric in its global registry by name, for ever: a metric made
// per call (a name with an id in it) is never freed.
const client = require('prom-client-15.1.3')
let n = 0
module.exports = {
  package: 'prom-client@15.1.3',
  kind: 'leak',
  expect: { holder: /_metrics$/, name: 'Counter', perCall: 1, cause: 'collection-cache' },
  action() {
    new client.Counter({ name: `orders_for_customer_${n++}`, help: 'orders of one customer' }).inc()
  },
}
