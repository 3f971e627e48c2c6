'use strict'
// Retry timers kept in a Map by job id, never cleared or deleted when the job is done.
const retries = new Map()
let job = 0
module.exports = {
  kind: 'leak',
  expect: { name: 'Timeout', perCall: 1, holder: /retries/, cause: 'timer' },
  action() {
    const id = `job-${job++}`
    retries.set(id, setTimeout(() => retries.get(id).refresh(), 900_000))
  },
}
