'use strict'
// ArrayBuffers kept per call.
const frames = []
module.exports = {
  kind: 'leak',
  expect: { name: 'ArrayBuffer', perCall: 1, holder: /frames/, cause: 'collection-cache' },
  action() {
    frames.push(new ArrayBuffer(8192))
  },
}
