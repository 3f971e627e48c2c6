'use strict'
// Response times kept immutably: the Array replaced on every call by a longer copy
// ([...samples, ms]). The old Array dies, so no count of objects grows: its bytes do.
let samples = []
module.exports = {
  kind: 'leak',
  expect: { name: 'Array', reason: 'grows-in-bytes', holder: /samples/, label: /^samples$/, cause: 'grows-in-bytes', detail: /`samples` gains 2 numbers per call \(16 B per call\)/ },
  action() {
    samples = [...samples, performance.now(), Math.random()]
  },
}
