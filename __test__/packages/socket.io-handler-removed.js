'use strict'
// The same handler, removed when its work is done.
const http = require('node:http')
const { Server } = require('socket.io-4.8.1')
const httpServer = http.createServer()
const io = new Server(httpServer)
// Unref'd: a test process that only reads this module's expectations must still exit.
httpServer.listen(0, '127.0.0.1').unref()
module.exports = {
  package: 'socket.io@4.8.1',
  kind: 'control',
  action(i) {
    const onConnection = (socket) => socket.emit('hello', i)
    io.on('connection', onConnection)
    io.off('connection', onConnection)
  },
}
