'use strict'
// Mustache caches every parsed template for ever, keyed by the template's text: templates
// built per call (a value pasted into the template instead of the view) fill it without bound
// (janl/mustache.js#748, #818, open for 4.2.0; since 4.0 `Mustache.templateCache = undefined`
// turns the cache off).
const Mustache = require('mustache-4.2.0')
let n = 0
module.exports = {
  package: 'mustache@4.2.0',
  kind: 'leak',
  expect: { holder: /templateCache\._cache$/, name: 'Array', perCall: 1, cause: 'collection-cache' },
  action(i) {
    return Mustache.render(`Order ${n++}: {{total}}`, { total: i })
  },
}
