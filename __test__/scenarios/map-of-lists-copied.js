'use strict'
// Events kept per user in a Map of lists, each list replaced by a longer copy on every call:
// the lists die with each copy, the events they hold stay.
const eventsByUser = new Map()
let next = 0
module.exports = {
  kind: 'leak',
  expect: { name: 'Object', perCall: 1, holder: /eventsByUser/, cause: 'collection-cache' },
  action() {
    const user = `user-${next % 3}`
    eventsByUser.set(user, [...(eventsByUser.get(user) || []), { seq: next++, kind: 'click' }])
  },
}
