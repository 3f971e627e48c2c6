'use strict'
// A module's log string, appended to on every call: one variable, one entry, yet each value is
// a ConsString that keeps the one before. As many entries after round two as before, so not
// churn: the old value is kept by the new one.
let log = ''
let next = 0
module.exports = {
  kind: 'leak',
  expect: { name: /string/, holder: /context:system \/ Context -> log:/, label: /^log$/, cause: 'module-variable', detail: /`log` is reassigned/ },
  action() {
    log += `request ${next++} handled at ${Date.now()}\n`
    return log.length
  },
}
