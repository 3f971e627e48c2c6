'use strict'
// leakhunt/jest: list it in `setupFilesAfterEnv` and every test file can write
//   await expect(() => handler()).not.toLeak({ iterations: 20 })
const { toLeak } = require('../lib/matcher.js')

const jestExpect = globalThis.expect
if (!jestExpect || typeof jestExpect.extend !== 'function') {
  throw new Error("leakhunt/jest must be loaded by Jest: add it to `setupFilesAfterEnv` (Vitest: use 'leakhunt/vitest')")
}
jestExpect.extend({ toLeak })

module.exports = { toLeak }
