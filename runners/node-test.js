'use strict'
// leakhunt/node-test: leak tests for node:test, shaped like test() and it().
//   const { testDoesNotLeak } = require('leakhunt/node-test')
//   testDoesNotLeak('GET /orders', () => request('/orders'), { iterations: 20 })
const nodeTest = require('node:test')
const { assertNoLeaks, leakTestTimeout } = require('../lib/assert.js')

// node:test's own bookkeeping runs beside the calls: its harness maps every async resource a
// test creates to the test (`testResources`, emptied by `destroy` hooks some time after GC),
// and its reporter streams events to the parent process. What only those hold is not the
// code's leak.
const RUNNER_HOLDERS = ['testResources', 'Reporter']

function define(run, title, fn, options) {
  const timeout = leakTestTimeout(title, fn, options)
  const ignoreHeldBy = [...RUNNER_HOLDERS, ...((options && options.ignoreHeldBy) || [])]
  return run(title, { timeout }, async () => {
    await assertNoLeaks(fn, { ...options, ignoreHeldBy })
  })
}

/**
 * A node:test test that fails with the leak report when `fn` leaks.
 * @param {string} title
 * @param {() => unknown} fn  runs the suspect code once
 * @param {import('../index').AssertNoLeaksOptions & { timeout?: number }} [options]
 */
const testDoesNotLeak = (title, fn, options) => define(nodeTest.test, title, fn, options)
/** The same, for `describe`/`it` suites. */
const itDoesNotLeak = (title, fn, options) => define(nodeTest.it, title, fn, options)

module.exports = { testDoesNotLeak, itDoesNotLeak, assertNoLeaks }
