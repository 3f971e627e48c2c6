'use strict'
// The fix: the sleep takes a signal, aborted when the wait is no longer needed.
const { setTimeout: sleep } = require('node:timers/promises')
const woken = { count: 0, aborted: 0 }
module.exports = {
  kind: 'control',
  async action() {
    const controller = new AbortController()
    const wait = sleep(900_000, null, { signal: controller.signal }).then(
      () => woken.count++,
      () => woken.aborted++,
    )
    controller.abort()
    await wait
  },
}
