'use strict'
// The same topic, each subscriber removed when its work is done.
class Topic {
  constructor() {
    this._subscribers = []
  }
  subscribe(fn) {
    this._subscribers = [...this._subscribers, fn]
  }
  unsubscribe(fn) {
    this._subscribers = this._subscribers.filter((f) => f !== fn)
  }
}
const priceUpdates = new Topic()
const totals = { seen: 0 }
module.exports = {
  kind: 'control',
  action(i) {
    const fn = (price) => {
      totals.seen += price + i
    }
    priceUpdates.subscribe(fn)
    priceUpdates.unsubscribe(fn)
  },
}
