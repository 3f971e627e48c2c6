'use strict'
// A Worker started per call for a side job and never terminated.
const { Worker } = require('node:worker_threads')
module.exports = {
  kind: 'leak',
  expect: { name: 'Worker', perCall: 1, holder: /.*/, label: /^Workers started per call$/, cause: 'open-resource' },
  async action() {
    const worker = new Worker('setInterval(() => {}, 60_000)', { eval: true })
    await new Promise((resolve) => worker.once('online', resolve))
  },
}
