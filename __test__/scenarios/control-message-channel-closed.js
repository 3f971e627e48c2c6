'use strict'
const { MessageChannel } = require('node:worker_threads')
const received = { count: 0 }
module.exports = {
  kind: 'control',
  async action() {
    const { port1, port2 } = new MessageChannel()
    const got = new Promise((resolve) => port1.once('message', resolve))
    port2.postMessage('ping')
    await got
    received.count++
    port1.close()
  },
}
