'use strict'
// The fix: a WeakMap. An entry lives exactly as long as its key; nothing to delete by hand.
const metadata = new WeakMap()

class Connection {
  constructor(id) {
    this.id = id
  }
}

exports.action = (i) => {
  const connection = new Connection(i)
  metadata.set(connection, { openedAt: Date.now() })
}
