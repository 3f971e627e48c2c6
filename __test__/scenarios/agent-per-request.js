'use strict'
// A keep-alive http.Agent made per request: its socket stays open to the peer, and the agent with it.
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
  kind: 'leak',
  expect: { name: 'Agent', perCall: 1, holder: /.*/, label: /^HTTP agents made per call$/, cause: 'open-resource' },
  async action() {
    await get(await (peer ??= startPeer()), new http.Agent({ keepAlive: true }))
  },
}
