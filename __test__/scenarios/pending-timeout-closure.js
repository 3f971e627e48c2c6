'use strict'
// A long timeout per call whose closure holds a payload until it fires (an hour later).
class RetryPayload {
  constructor(i) {
    this.i = i
  }
}
module.exports = {
  kind: 'leak',
  expect: { name: 'RetryPayload', perCall: 1, holder: /Timeout|_onTimeout|retry/, cause: 'timer' },
  action(i) {
    const payload = new RetryPayload(i)
    setTimeout(function retry() {
      return payload
    }, 3_600_000).unref()
  },
}
