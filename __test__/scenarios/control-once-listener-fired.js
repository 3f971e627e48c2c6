'use strict'
// A listener added with once() for an event that comes in the same call: removed as it fires.
const { EventEmitter } = require('node:events')
const jobs = new EventEmitter()
module.exports = {
  kind: 'control',
  action() {
    const job = { started: Date.now() }
    jobs.once('done', () => job.started)
    jobs.emit('done')
  },
}
