'use strict'
// The fix: the agent is destroyed when its requests are done (or one agent is shared).
const http = require('node:http')
const { getFromPeer } = require('./lib/http-peer.js')
module.exports = {
  kind: 'control',
  async action() {
    const agent = new http.Agent({ keepAlive: true })
    await getFromPeer(agent)
    agent.destroy()
  },
}
