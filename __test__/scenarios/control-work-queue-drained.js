'use strict'
// The same limit, whose tasks settle: each call's task runs and its link is taken off.
const { limitOne } = require('./lib/limit-one.js')
const limit = limitOne()
module.exports = {
  kind: 'control',
  async action() {
    await new Promise((resolve) => limit(async () => resolve()))
  },
}
