'use strict'
// Waiting on a promise that never settles: every await on it is kept, with what it captured.
const neverAnswered = new Promise(() => {}) // e.g. a reply from a peer that went away

class PendingRequest {
  constructor(id) {
    this.id = id
  }
}

exports.expectCause = 'pending-promise'

exports.action = (i) => {
  const pending = new PendingRequest(i)
  neverAnswered.then(() => pending.id)
}
