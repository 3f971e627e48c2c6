'use strict'
// Metadata about objects kept in a Map keyed by the objects: the Map keeps every key alive.
const metadata = new Map()

class Connection {
  constructor(id) {
    this.id = id
  }
}

exports.expectCause = 'collection-cache'

exports.action = (i) => {
  const connection = new Connection(i) // used for one call, then dropped by its owner
  metadata.set(connection, { openedAt: Date.now() })
}
