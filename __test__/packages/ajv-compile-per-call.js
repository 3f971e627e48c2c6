'use strict'
// Ajv caches each compiled schema by the schema object and keeps it for the instance's life:
// compiling a new schema object per request grows the cache by one generated function each
// (named validate20, validate21, ...).
const Ajv = require('ajv-8.12.0')
const ajv = new Ajv()
let n = 0
module.exports = {
  package: 'ajv@8.12.0',
  kind: 'leak',
  expect: { holder: /^ajv\._cache$/, name: /^validate<n>\(\)$/, perCall: 1, cause: 'collection-cache' },
  action() {
    const validate = ajv.compile({ type: 'object', properties: { [`field${n++}`]: { type: 'string' } } })
    return validate({})
  },
}
