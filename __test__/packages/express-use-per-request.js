'use strict'
// express 4: middleware added with app.use() inside a handler, so once per request: the
// router's stack keeps a Layer (and its function) for each, and runs them all on every request.
const express = require('express-4.21.2')
const app = express()
module.exports = {
  package: 'express@4.21.2',
  kind: 'leak',
  expect: { holder: /^app\._router\.stack$/, name: 'Layer', perCall: 1, cause: 'class-static', hint: /register it once at start-up/ },
  action(i) {
    app.use((req, res, next) => {
      req.requestNumber = i
      next()
    })
  },
}
