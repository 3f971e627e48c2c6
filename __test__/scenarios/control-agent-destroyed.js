'use strict'
const http = require('node:http')
const { startPeer } = require('./lib/http-peer.js')
// Started by the first call, not at require: the test runner loads every scenario to read it.
let peer = null
function get(port, agent) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, agent }, (res) => res.resume().on('end', resolve)).on('error', reject)
  })
}
module.exports = {
  kind: 'control',
  async action() {
    const agent = new http.Agent({ keepAlive: true })
    await get(await (peer ??= startPeer()), agent)
    agent.destroy()
  },
}
