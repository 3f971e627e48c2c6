'use strict'
// `toLeak`, the matcher for Jest's and Vitest's `expect`: passes when the function leaks, so
// `await expect(fn).not.toLeak()` fails with the report when it does.
const { formatReport } = require('./format.js')
const { huntAndMeasure, leakMessage } = require('./assert.js')

async function toLeak(received, options) {
  const hint = (this.utils && this.utils.matcherHint
    ? this.utils.matcherHint('toLeak', 'fn', 'options', { isNot: this.isNot, promise: this.promise })
    : `expect(fn)${this.isNot ? '.not' : ''}.toLeak(options)`)
  if (typeof received !== 'function') {
    throw new TypeError(`${hint}\n\nthe received value must be a function that runs the suspect code once; received ${typeof received}`)
  }
  const { report, measured } = await huntAndMeasure(received, options)
  return {
    pass: measured.leaks,
    message: measured.leaks
      ? () => `${hint}\n\nExpected the function not to leak, but it does.\n\n${leakMessage(report, measured)}`
      : () => `${hint}\n\nExpected the function to leak, but nothing leaked over ${report.summary.iterations} calls.\n\n${formatReport(report)}`,
    // Jest prints these for custom matchers only in some reporters; the data is for people who look.
    report,
  }
}

module.exports = { toLeak }
