'use strict'
// The fix: keep the handle and clear it when the work is done.
class PollState {
  constructor(url) {
    this.url = url
    this.attempts = 0
  }
}

exports.action = () => {
  const state = new PollState('http://127.0.0.1/status')
  const timer = setInterval(() => {
    state.attempts++
  }, 60_000)
  // … the work that needed polling …
  clearInterval(timer)
}
