'use strict'
// socket.io@4.8.1 attached to a listening HTTP server, a 'connection' handler added per call (a
// route that sets up its own handler). The engine's closures hold the Server as `this`,
// the shortest road to it: the report names it by the program's variable, `io`.
const http = require('node:http')
const { Server } = require('socket.io-4.8.1')
const httpServer = http.createServer()
const io = new Server(httpServer)
// Unref'd: a test process that only reads this module's expectations must still exit.
httpServer.listen(0, '127.0.0.1').unref()
module.exports = {
  package: 'socket.io@4.8.1',
  kind: 'leak',
  expect: { holder: /^io\.sockets\._events\.connection$/, perCall: 1, cause: 'event-listener', hint: /off\(\)/ },
  action(i) {
    io.on('connection', (socket) => socket.emit('hello', i))
  },
}
