'use strict'
// Everyday logging: each call logs a line with an object. While an inspector session is open
// (the hunt holds one), V8 keeps every console call's arguments in its console message
// storage; what only that storage keeps is the hunt's own doing, never the code's leak.
module.exports = {
  kind: 'control',
  action(i) {
    console.error('handled request', i, { id: `req-${i}`, at: Date.now() })
  },
}
