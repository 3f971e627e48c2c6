'use strict'
// Ajv used as meant: the schema compiled once, the validator called per request.
const Ajv = require('ajv-8.12.0')
const validate = new Ajv().compile({ type: 'object', properties: { name: { type: 'string' } } })
module.exports = {
  package: 'ajv@8.12.0',
  kind: 'control',
  action(i) {
    return validate({ name: `user ${i}` })
  },
}
