'use strict'
// prom-client used as meant: one metric, made once; what varies per call is a label value
// from a small set.
const client = require('prom-client-15.1.3')
const orders = new client.Counter({ name: 'orders_total', help: 'orders', labelNames: ['status'] })
const STATUSES = ['new', 'paid', 'shipped']
module.exports = {
  package: 'prom-client@15.1.3',
  kind: 'control',
  action(i) {
    orders.inc({ status: STATUSES[i % STATUSES.length] })
  },
}
