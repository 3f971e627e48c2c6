'use strict'
// A long timers/promises sleep started per call and not awaited to the end: no handle to clear.
const { setTimeout: sleep } = require('node:timers/promises')
const woken = { count: 0 }
module.exports = {
  kind: 'leak',
  expect: { name: 'Timeout', perCall: 1, holder: /TimersList|Timeout/, cause: 'timer', hint: /AbortController/ },
  action() {
    sleep(900_000).then(() => woken.count++)
  },
}
