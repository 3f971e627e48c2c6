'use strict'
// A TCP server listened per call (a health probe, say) and never closed.
const net = require('node:net')
module.exports = {
  kind: 'leak',
  expect: { name: 'Server', perCall: 1, holder: /.*/, label: /^servers listened per call$/, cause: 'open-resource' },
  async action() {
    const server = net.createServer((socket) => socket.end())
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  },
}
