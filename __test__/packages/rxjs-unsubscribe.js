'use strict'
// The same subscription, unsubscribed when the work is done.
const { Subject } = require('rxjs-7.8.1')
const orderEvents = new Subject()
module.exports = {
  package: 'rxjs@7.8.1',
  kind: 'control',
  action(i) {
    const subscription = orderEvents.subscribe((event) => i === event)
    orderEvents.next(i)
    subscription.unsubscribe()
  },
}
