'use strict'
// An interval started per call and never cleared; its callback holds per-call state.
class PollState {
  constructor(i) {
    this.i = i
    this.ticks = 0
  }
}
module.exports = {
  kind: 'leak',
  expect: { name: 'PollState', perCall: 1, holder: /Timeout|_onTimeout|poll/, cause: 'timer' },
  action(i) {
    const state = new PollState(i)
    setInterval(function poll() {
      state.ticks++
    }, 3_600_000).unref()
  },
}
