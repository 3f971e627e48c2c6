'use strict'
// A gzip stream per call, destroyed when done and not kept.
const zlib = require('node:zlib')
module.exports = {
  kind: 'control',
  action() {
    const gzip = zlib.createGzip()
    gzip.destroy()
  },
}
