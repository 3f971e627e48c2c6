'use strict'
// signal-exit keeps every exit handler on one emitter it hangs on `process`, until the
// function onExit() returns is called: a handler registered per call and never removed stays,
// with what it captures.
const onExit = require('signal-exit-3.0.7')
class TempFile {
  constructor(i) {
    this.path = `/tmp/upload-${i}`
  }
}
module.exports = {
  package: 'signal-exit@3.0.7',
  kind: 'leak',
  expect: { holder: /__signal_exit_emitter__\._events\.exit$/, name: '(anonymous function)', perCall: 1, cause: 'event-listener' },
  action(i) {
    const file = new TempFile(i)
    onExit(() => file.path)
  },
}
