'use strict'
// A keep-alive http.Agent made per request: its socket stays open to the peer, and the agent with it.
const http = require('node:http')
const { getFromPeer } = require('./lib/http-peer.js')
module.exports = {
  kind: 'leak',
  expect: { name: 'Agent', perCall: 1, holder: /.*/, label: /^HTTP agents made per call$/, cause: 'open-resource' },
  async action() {
    await getFromPeer(new http.Agent({ keepAlive: true }))
  },
}
