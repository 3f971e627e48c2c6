'use strict'
// A polling interval started per call and never cleared: it keeps its callback, and the
// callback keeps the state it polls.
class PollState {
  constructor(url) {
    this.url = url
    this.attempts = 0
  }
}

exports.expectCause = 'timer'

exports.action = () => {
  const state = new PollState('http://127.0.0.1/status')
  setInterval(() => {
    state.attempts++
  }, 60_000)
}
