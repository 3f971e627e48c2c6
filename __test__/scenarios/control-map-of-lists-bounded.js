'use strict'
// The same Map of lists, each copy keeping only the last 10 events: full before the hunt, so
// every call's event pushes out the oldest of its list.
const eventsByUser = new Map()
let next = 0
function record() {
  const user = `user-${next % 3}`
  eventsByUser.set(user, [...(eventsByUser.get(user) || []).slice(-9), { seq: next++, kind: 'click' }])
}
for (let i = 0; i < 30; i++) record()
module.exports = {
  kind: 'control',
  action() {
    record()
  },
}
