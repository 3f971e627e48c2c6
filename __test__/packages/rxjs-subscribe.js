'use strict'
// A subscription to a long-lived Subject per call, never unsubscribed: the Subject keeps every
// subscriber, and what its callback captures.
const { Subject } = require('rxjs-7.8.1')
const orderEvents = new Subject()
class OrderView {
  constructor(i) {
    this.id = i
  }
}
module.exports = {
  package: 'rxjs@7.8.1',
  kind: 'leak',
  expect: { holder: /^orderEvents\.(observers|currentObservers)$/, name: /Subscriber/, perCall: 1, cause: 'collection-cache' },
  action(i) {
    const view = new OrderView(i)
    orderEvents.subscribe((event) => view.id === event)
  },
}
