'use strict'
// An async hook created and enabled per call (to trace one request), never disabled.
const asyncHooks = require('node:async_hooks')
module.exports = {
  kind: 'leak',
  expect: { name: 'AsyncHook', perCall: 1, holder: /active_hooks/, label: /^async hooks enabled per call$/, cause: 'open-resource', hint: /disable\(\)/ },
  action() {
    const started = []
    asyncHooks.createHook({ init: (id) => started.push(id) }).enable()
  },
}
