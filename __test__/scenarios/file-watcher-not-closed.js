'use strict'
// A directory watched per call, the watcher dropped but never closed: its native handle keeps
// it, and its listener, open.
const fs = require('node:fs')
const os = require('node:os')
module.exports = {
  kind: 'leak',
  expect: { name: 'FSWatcher', perCall: 1, holder: /.*/, label: /^file watchers started per call$/, cause: 'open-resource', hint: /close\(\)/ },
  action() {
    const seen = []
    fs.watch(os.tmpdir(), (event, file) => seen.push(file))
  },
}
