'use strict'
// A script run in a new context per call, nothing kept: each context goes with its sandbox.
const vm = require('node:vm')
let next = 0
module.exports = {
  kind: 'control',
  action() {
    return vm.runInNewContext('id + 1', { id: next++ })
  },
}
