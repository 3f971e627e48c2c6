'use strict'
// Rules "reloaded" on every call by deleting them from require.cache and requiring them again:
// each require() runs the file as a new Module, and this module's `children` keeps every one.
const rulesFile = require.resolve('./lib/pricing-rules.js')
module.exports = {
  kind: 'leak',
  expect: { name: 'Module', perCall: 1, holder: /children/, label: /require-after-cache-delete\.js's module\.children$/, cause: 'module-cache', hint: /require the module once/ },
  action() {
    delete require.cache[rulesFile]
    return require(rulesFile).rules.length
  },
}
