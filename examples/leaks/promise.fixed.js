'use strict'
// The fix: a wait that always ends (here: a timeout that rejects, and a reply that settles).
class PendingRequest {
  constructor(id) {
    this.id = id
  }
}

function withTimeout(promise, ms) {
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

exports.action = async (i) => {
  const pending = new PendingRequest(i)
  const reply = new Promise((resolve) => setImmediate(resolve, pending.id))
  await withTimeout(reply, 1000).catch(() => undefined)
}
