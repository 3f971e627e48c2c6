'use strict'
// The same with a Set of handles, the other way services keep them.
const pollers = new Set()
const stats = { polls: 0 }
module.exports = {
  kind: 'leak',
  expect: { name: 'Timeout', perCall: 1, holder: /pollers/, cause: 'timer' },
  action() {
    pollers.add(setInterval(() => stats.polls++, 900_000))
  },
}
