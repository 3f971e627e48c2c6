'use strict'
// Sessions added to a Set and never deleted.
const activeSessions = new Set()
class Session {
  constructor(i) {
    this.user = `user-${i}`
  }
}
module.exports = {
  kind: 'leak',
  expect: { name: 'Session', perCall: 1, holder: /activeSessions/, cause: 'collection-cache' },
  action(i) {
    activeSessions.add(new Session(i))
  },
}
