'use strict'
// The same hook, disabled when the call is done.
const asyncHooks = require('node:async_hooks')
module.exports = {
  kind: 'control',
  action() {
    const started = []
    const hook = asyncHooks.createHook({ init: (id) => started.push(id) }).enable()
    hook.disable()
  },
}
