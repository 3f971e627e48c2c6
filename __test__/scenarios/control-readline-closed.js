'use strict'
// The same interface, closed when the call is done: it takes its listeners off the stream.
const readline = require('node:readline')
const { PassThrough } = require('node:stream')
const input = new PassThrough()
module.exports = {
  kind: 'control',
  action() {
    const lines = []
    const rl = readline.createInterface({ input })
    rl.on('line', (line) => lines.push(line))
    rl.close()
  },
}
