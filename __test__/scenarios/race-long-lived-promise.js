'use strict'
// await Promise.race([shutdown, work()]) per call, `shutdown` a promise that lives as long as
// the process: each race adds a reaction to it, a link of a list that never shortens.
const shutdown = new Promise(() => {}) // settles when the process is told to stop
class WorkResult {
  constructor(i) {
    this.i = i
  }
}
module.exports = {
  kind: 'leak',
  expect: { name: 'promise reaction', perCall: 1, holder: /shutdown/, label: /^shutdown$/, cause: 'pending-promise', detail: /gains 1 reaction per call/ },
  async action(i) {
    return Promise.race([shutdown, Promise.resolve(new WorkResult(i))])
  },
}
