'use strict'
// debug 3.1–4.2 kept every instance in `createDebug.instances` (for enable() to reach them),
// so a logger made per request was never freed (debug-js/debug#678); 4.3.0 dropped the array
// (debug-js/debug#740).
const createDebug = require('debug-4.1.1')
let n = 0
module.exports = {
  package: 'debug@4.1.1',
  kind: 'leak',
  expect: { holder: /^createDebug\.instances$/, name: 'debug()', perCall: 1, cause: 'class-static' },
  action() {
    createDebug(`app:request:${n++}`)('handled')
  },
}
