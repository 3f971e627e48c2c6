'use strict'
// Each session is kept in a Map by id and in an audit Array: one leak, counted once, whichever
// collection the shortest path happens to go through.
class UserSession {
  constructor(id) {
    this.id = id
    this.started = Date.now()
  }
}
const sessionsById = new Map()
const auditTrail = []
let next = 0
module.exports = {
  kind: 'leak',
  expect: { name: 'UserSession', perCall: 1, holder: /sessionsById|auditTrail/, cause: 'collection-cache' },
  action() {
    const s = new UserSession(`s${next++}`)
    sessionsById.set(s.id, s)
    auditTrail.push(s)
  },
}
