'use strict'
// The same handler, removed when the work is done.
const onExit = require('signal-exit-3.0.7')
module.exports = {
  package: 'signal-exit@3.0.7',
  kind: 'control',
  action(i) {
    const remove = onExit(() => i)
    remove()
  },
}
