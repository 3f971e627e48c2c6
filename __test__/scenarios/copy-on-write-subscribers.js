'use strict'
// A channel whose subscribe() replaces its list by a longer copy (copy-on-write), subscribed
// to per call and never unsubscribed.
class Topic {
  constructor(name) {
    this.name = name
    this._subscribers = []
  }
  subscribe(fn) {
    this._subscribers = [...this._subscribers, fn]
  }
  unsubscribe(fn) {
    this._subscribers = this._subscribers.filter((f) => f !== fn)
  }
}
const priceUpdates = new Topic('prices')
const totals = { seen: 0 }
module.exports = {
  kind: 'leak',
  expect: { name: /.*/, perCall: 1, holder: /priceUpdates|_subscribers/, cause: 'subscriber-list' },
  action(i) {
    priceUpdates.subscribe((price) => {
      totals.seen += price + i
    })
  },
}
