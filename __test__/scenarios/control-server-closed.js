'use strict'
const net = require('node:net')
module.exports = {
  kind: 'control',
  async action() {
    const server = net.createServer((socket) => socket.end())
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
    await new Promise((resolve) => server.close(resolve))
  },
}
