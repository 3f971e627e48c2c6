'use strict'
// leakhunt/mocha: a leak test in Mocha's BDD style, with a timeout fit for a hunt.
//   const { itDoesNotLeak } = require('leakhunt/mocha')
//   itDoesNotLeak('GET /orders', () => request('/orders'), { iterations: 20 })
const { assertNoLeaks, leakTestTimeout } = require('../lib/assert.js')

function define(it, title, fn, options) {
  if (typeof it !== 'function') {
    throw new Error('leakhunt/mocha: no global `it`; load this from a file that Mocha runs (BDD interface)')
  }
  const timeout = leakTestTimeout(title, fn, options)
  const test = it(title, async function () {
    await assertNoLeaks(fn, options)
  })
  test.timeout(timeout)
  return test
}

/**
 * Defines a Mocha test that fails with the leak report when `fn` leaks.
 * @param {string} title
 * @param {() => unknown} fn  runs the suspect code once
 * @param {import('../index').AssertNoLeaksOptions & { timeout?: number }} [options]
 */
function itDoesNotLeak(title, fn, options) {
  return define(globalThis.it, title, fn, options)
}
itDoesNotLeak.only = (title, fn, options) => define(globalThis.it && globalThis.it.only, title, fn, options)
itDoesNotLeak.skip = (title, fn, options) => define(globalThis.it && globalThis.it.skip, title, fn, options)

module.exports = { itDoesNotLeak, assertNoLeaks }
