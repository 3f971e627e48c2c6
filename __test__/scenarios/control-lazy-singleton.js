'use strict'
// A singleton created lazily on the 5th call (after warm-up), then reused.
let connectionPool = null
class ConnectionPool {
  constructor() {
    this.connections = Array.from({ length: 10 }, (_, k) => ({ k }))
  }
}
module.exports = {
  kind: 'control',
  action(i) {
    if (i === 5 && !connectionPool) connectionPool = new ConnectionPool()
    return connectionPool
  },
}
