'use strict'
// register(conn, () => conn.close()): the held value is a closure over its target, so the
// registry keeps the target alive for ever and never calls back.
class DbConnection {
  constructor(id) {
    this.id = id
  }
  close() {}
}
const connections = new FinalizationRegistry((release) => release())
module.exports = {
  kind: 'leak',
  expect: { name: /.*/, perCall: 1, holder: /connections/, cause: 'finalization-registry' },
  action(i) {
    const conn = new DbConnection(i)
    connections.register(conn, () => conn.close())
  },
}
