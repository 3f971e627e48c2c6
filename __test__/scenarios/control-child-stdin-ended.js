'use strict'
const { spawn } = require('node:child_process')
module.exports = {
  kind: 'control',
  async action() {
    const child = spawn('cat', [], { stdio: ['pipe', 'ignore', 'ignore'] })
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.stdin.end()
    await exited
  },
}
