'use strict'
// Mustache used as meant: one template, the value in the view.
const Mustache = require('mustache-4.2.0')
module.exports = {
  package: 'mustache@4.2.0',
  kind: 'control',
  action(i) {
    return Mustache.render('Order {{id}}: {{total}}', { id: i, total: i * 2 })
  },
}
