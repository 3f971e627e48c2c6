'use strict'
// The same use of debug at a release without the instances array: nothing is kept.
const createDebug = require('debug-4.3.4')
let n = 0
module.exports = {
  package: 'debug@4.3.4',
  kind: 'control',
  action() {
    createDebug(`app:request:${n++}`)('handled')
  },
}
