'use strict'
// A readline interface per call on one long-lived stream, never closed: each adds its
// listeners to the stream, which keeps them and the Interface.
const readline = require('node:readline')
const { PassThrough } = require('node:stream')
const input = new PassThrough()
input.setMaxListeners(0)
module.exports = {
  kind: 'leak',
  expect: { name: /^on/, perCall: 1, holder: /_events/, cause: 'event-listener', hint: /rl\.close\(\)/ },
  action() {
    const lines = []
    const rl = readline.createInterface({ input })
    rl.on('line', (line) => lines.push(line))
  },
}
