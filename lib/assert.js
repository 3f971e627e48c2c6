'use strict'
// Leak checks as assertions, for any test runner: a hunt, thresholds, and an AssertionError
// whose message is the report. The runner entries (runners/jest.js, mocha.js, node-test.js,
// vitest.mjs) are thin shapes around this.
const { AssertionError } = require('node:assert')
const { hunt } = require('./hunt.js')
const { formatReport } = require('./format.js')
const { invalidArg, outOfRange } = require('./errors.js')

/** Split the options of `assertNoLeaks` into thresholds and the options of `hunt`. */
function splitOptions(options) {
  if (options === undefined || options === null) options = {}
  if (typeof options !== 'object') throw invalidArg('options', 'an object', options)
  const { maxLeakedObjects = 0, maxRetainedBytes = Infinity, timeout, ...huntOptions } = options
  if (!Number.isInteger(maxLeakedObjects) && maxLeakedObjects !== Infinity) {
    throw invalidArg('options.maxLeakedObjects', 'an integer or Infinity', maxLeakedObjects)
  }
  if (maxLeakedObjects < 0) throw outOfRange('options.maxLeakedObjects', '>= 0', maxLeakedObjects)
  if (typeof maxRetainedBytes !== 'number' || Number.isNaN(maxRetainedBytes)) throw invalidArg('options.maxRetainedBytes', 'a number', maxRetainedBytes)
  if (maxRetainedBytes < 0) throw outOfRange('options.maxRetainedBytes', '>= 0', maxRetainedBytes)
  if (timeout !== undefined && !(typeof timeout === 'number' && timeout > 0)) throw outOfRange('options.timeout', 'a number of milliseconds > 0', timeout)
  return { thresholds: { maxLeakedObjects, maxRetainedBytes }, huntOptions }
}

/** What the leaks of a report add up to, and whether that is over the thresholds. */
function measure(report, thresholds) {
  let objects = 0
  let retainedBytes = 0
  for (const group of report.leaks) {
    // A value that grows in bytes is one object that gains data on every call: it counts as
    // one leaked object per call, so a threshold set for a few stray objects cannot hide it.
    objects += group.bytesGrowth ? Math.max(group.count, report.summary.iterations || 1) : group.count
    retainedBytes += group.retainedSize
  }
  // Listeners that pile up with no leak group to show for it (the same function added on
  // every call): each added listener counts as a leaked object.
  for (const g of report.listenerGrowth || []) {
    const shown = report.leaks.some((l) => l.cause && l.cause.pattern === 'event-listener' && l.cause.holder.event === g.event)
    if (!shown) objects += g.after - g.before
  }
  const over = []
  if (objects > thresholds.maxLeakedObjects) over.push(`${objects} leaked objects > maxLeakedObjects ${thresholds.maxLeakedObjects}`)
  if (retainedBytes > thresholds.maxRetainedBytes) over.push(`${retainedBytes} B retained > maxRetainedBytes ${thresholds.maxRetainedBytes}`)
  return { objects, retainedBytes, leaks: over.length > 0, over }
}

function leakMessage(report, measured) {
  const calls = report.summary.iterations
  const head =
    `leakhunt: the function leaks: ${measured.objects} object${measured.objects === 1 ? '' : 's'} at ` +
    `${report.leaks.length} growth point${report.leaks.length === 1 ? '' : 's'} over ${calls} calls ` +
    `(${measured.over.join('; ')})`
  return `${head}\n\n${formatReport(report)}`
}

/** The hunt of `assertNoLeaks` and of the `toLeak` matcher: the report and what its leaks add up to. */
async function huntAndMeasure(fn, options) {
  const { thresholds, huntOptions } = splitOptions(options)
  const report = await hunt(fn, huntOptions)
  return { report, measured: measure(report, thresholds) }
}

/**
 * Hunts `fn` and resolves to the report when it does not leak (within the thresholds);
 * otherwise rejects with an AssertionError (code ERR_LEAKHUNT_LEAK) whose message is the
 * formatted report and whose `report` is the data.
 * @param {() => unknown} fn
 * @param {import('../index').AssertNoLeaksOptions} [options]
 */
async function assertNoLeaks(fn, options) {
  const { report, measured } = await huntAndMeasure(fn, options)
  if (!measured.leaks) return report
  // operator 'fail': runners print the message alone, with no actual/expected diff.
  const err = new AssertionError({ message: leakMessage(report, measured), operator: 'fail', stackStartFn: assertNoLeaks })
  err.code = 'ERR_LEAKHUNT_LEAK'
  err.report = report
  err.leakedObjects = measured.objects
  err.retainedBytes = measured.retainedBytes
  throw err
}

/** A hunt takes several heap snapshots: seconds, not milliseconds. Runners get this default. */
const DEFAULT_TIMEOUT_MS = 120_000

/** Checks the arguments of a runner's leak test; returns the test's timeout. */
function leakTestTimeout(title, fn, options) {
  if (typeof title !== 'string') throw invalidArg('title', 'a string', title)
  if (typeof fn !== 'function') throw invalidArg('fn', 'a function', fn)
  return (options && options.timeout) || DEFAULT_TIMEOUT_MS
}

module.exports = { assertNoLeaks, huntAndMeasure, leakMessage, leakTestTimeout }
