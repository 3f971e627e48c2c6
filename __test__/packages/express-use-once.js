'use strict'
// The same middleware added once, at start-up (on the first call); the calls only route.
const express = require('express-4.21.2')
const app = express()
let ready = false
module.exports = {
  package: 'express@4.21.2',
  kind: 'control',
  action(i) {
    if (!ready) {
      app.use((req, res, next) => next())
      ready = true
    }
    return app._router.stack.length + i
  },
}
