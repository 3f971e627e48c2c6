'use strict'
// A module-level array that only ever grows (an audit log).
const auditTrail = []
class AuditRecord {
  constructor(i) {
    this.at = i
    this.action = 'read'
  }
}
module.exports = {
  kind: 'leak',
  expect: { name: 'AuditRecord', perCall: 1, holder: /auditTrail/, cause: 'collection-cache' },
  action(i) {
    auditTrail.push(new AuditRecord(i))
  },
}
