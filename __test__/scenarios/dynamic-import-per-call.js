'use strict'
// Cache-busting an ES module: `import('./rules.mjs?v=' + n)` per call. ES modules are never
// unloaded, so every URL imported stays loaded in the module loader's cache for good.
const path = require('node:path')
const { pathToFileURL } = require('node:url')
const rules = pathToFileURL(path.join(__dirname, 'lib', 'rules.mjs')).href
let version = 0
module.exports = {
  kind: 'leak',
  expect: { name: 'ES module', perCall: 1, holder: /ModuleLoader/, label: /ES module loader/, cause: 'module-cache' },
  async action() {
    version += 1
    const { rulesFor } = await import(`${rules}?v=${version}`)
    return rulesFor('checkout')
  },
}
