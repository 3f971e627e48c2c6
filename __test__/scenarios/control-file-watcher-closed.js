'use strict'
// The same watcher, closed when the call is done.
const fs = require('node:fs')
const os = require('node:os')
module.exports = {
  kind: 'control',
  action() {
    const seen = []
    const watcher = fs.watch(os.tmpdir(), (event, file) => seen.push(file))
    watcher.close()
  },
}
