'use strict'
// The fixed twin of dynamic-import-per-call: import() under one URL per call loads the module
// once; later calls get the same module from the loader's cache.
const path = require('node:path')
const { pathToFileURL } = require('node:url')
const rules = pathToFileURL(path.join(__dirname, 'lib', 'rules.mjs')).href
module.exports = {
  kind: 'control',
  async action() {
    const { rulesFor } = await import(rules)
    return rulesFor('checkout')
  },
}
