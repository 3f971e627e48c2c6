'use strict'
// The same rules required on every call, from require.cache: one Module, loaded once.
const rulesFile = require.resolve('./lib/pricing-rules.js')
module.exports = {
  kind: 'control',
  action() {
    return require(rulesFile).rules.length
  },
}
