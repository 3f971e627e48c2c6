'use strict'
// Everyday fetch(): a request to a loopback server, the body read to the end. Node keeps one
// PerformanceResourceTiming per fetch in its resource-timing buffer, which stops at 250
// entries: bounded, not a leak.
const http = require('node:http')

const server = http.createServer((req, res) => res.end('{"ok":true}')).listen(0, '127.0.0.1')
server.unref()
const listening = new Promise((resolve) => server.once('listening', resolve))

module.exports = {
  kind: 'control',
  async action() {
    await listening
    const response = await fetch(`http://127.0.0.1:${server.address().port}/orders`)
    await response.json()
  },
}
