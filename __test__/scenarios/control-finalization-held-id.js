'use strict'
// The fix: a held value that does not reference its target (its id); the connection goes.
class DbConnection {
  constructor(id) {
    this.id = id
  }
}
const closed = []
const connections = new FinalizationRegistry((id) => closed.push(id))
module.exports = {
  kind: 'control',
  action(i) {
    connections.register(new DbConnection(i), i)
  },
}
