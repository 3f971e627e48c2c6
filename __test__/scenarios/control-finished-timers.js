'use strict'
// Timers that fire and finish within the call.
class TimerWork {
  constructor(i) {
    this.i = i
  }
}
module.exports = {
  kind: 'control',
  async action(i) {
    const work = new TimerWork(i)
    await new Promise((resolve) => setTimeout(() => resolve(work.i), 1))
  },
}
