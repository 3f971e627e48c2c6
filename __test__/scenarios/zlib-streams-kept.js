'use strict'
// A gzip stream per call, kept in an Array and never ended: each keeps its native compressor.
const zlib = require('node:zlib')
const compressors = []
module.exports = {
  kind: 'leak',
  expect: { name: 'Gzip', perCall: 1, holder: /.*/, label: /^(zlib streams made per call|compressors)$/, cause: 'open-resource', hint: /end\(\)/ },
  action() {
    compressors.push(zlib.createGzip())
  },
}
