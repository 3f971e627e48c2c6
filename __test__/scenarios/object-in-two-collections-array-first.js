'use strict'
// object-in-two-collections.js written the other way round: the audit Array made before the
// Map, so it is the older and owns the sessions. The Map's keys are the sessions' ids: they go
// with the sessions, one leak, the Map named beside it.
class UserSession {
  constructor(id) {
    this.id = id
    this.started = Date.now()
  }
}
const auditTrail = []
const sessionsById = new Map()
let next = 0
module.exports = {
  kind: 'leak',
  expect: { name: 'UserSession', perCall: 1, holder: /sessionsById|auditTrail/, cause: 'collection-cache' },
  action() {
    const s = new UserSession(`s${next++}`)
    auditTrail.push(s)
    sessionsById.set(s.id, s)
  },
}
