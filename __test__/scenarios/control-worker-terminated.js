'use strict'
// The fix: the worker is terminated when its job is done.
const { Worker } = require('node:worker_threads')
module.exports = {
  kind: 'control',
  async action() {
    const worker = new Worker('setInterval(() => {}, 60_000)', { eval: true })
    await new Promise((resolve) => worker.once('online', resolve))
    await worker.terminate()
  },
}
