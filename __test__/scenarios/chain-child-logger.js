'use strict'
// A logger whose child() derives from this logger (Object.create(this), as pino's and
// winston's do), and a child kept per call in place of its parent: a chain of loggers.
class Logger {
  constructor(bindings) {
    this.bindings = bindings
  }
  child(bindings) {
    const child = Object.create(this)
    child.bindings = { ...this.bindings, ...bindings }
    return child
  }
}
let log = new Logger({ app: 'api' })
let next = 0
module.exports = {
  kind: 'leak',
  expect: { name: 'Logger', perCall: 1, holder: /log/, label: /^log$/, cause: 'module-variable' },
  action() {
    log = log.child({ requestId: next++ })
  },
}
