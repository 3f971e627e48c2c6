'use strict'
// Status codes (small integers) pushed into an Array on a metrics object, four per call:
// small integers are no objects at all.
const metrics = { statusCodes: [] }
module.exports = {
  kind: 'leak',
  expect: { name: 'Array', reason: 'grows-in-bytes', holder: /metrics/, label: /^metrics\.statusCodes$/, cause: 'grows-in-bytes', detail: /gains 4 numbers per call \(32 B per call\)/ },
  action(i) {
    metrics.statusCodes.push(200, 200, i % 7 === 0 ? 404 : 200, 201)
  },
}
