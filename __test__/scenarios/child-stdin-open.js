'use strict'
// A child process per call whose stdin is never ended: it waits for input for ever.
const { spawn } = require('node:child_process')
module.exports = {
  kind: 'leak',
  expect: { name: 'ChildProcess', perCall: 1, holder: /.*/, label: /^child processes spawned per call$/, cause: 'open-resource' },
  async action() {
    const child = spawn('cat', [], { stdio: ['pipe', 'ignore', 'ignore'] })
    await new Promise((resolve) => child.once('spawn', resolve))
  },
}
