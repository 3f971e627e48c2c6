'use strict'
// What a scenario's report must say (the corpus's judgement, shared by the native corpus and
// the WebAssembly fallback's): a leak found as its one growth point, with its class, count per
// call, holder on the retainer path and cause; a control quiet.
const assert = require('node:assert/strict')

const matches = (pattern, text) => (pattern instanceof RegExp ? pattern.test(text) : pattern === text)
const pathText = (point) => [...point.retainerPath, ...point.samplePath].map((s) => [s.edge, s.name].filter(Boolean).join(':')).join(' -> ')
/** The growth point that holds `name`: its leading class, or a class it holds. */
const holding = (point, name) => matches(name, point.name) || point.breakdown.some((c) => matches(name, c.name))

function checkScenario(report, scenario) {
  const found = report.leaks.map((g) => `${g.holder.label}: ${g.name} ×${g.countPerIteration}`).join(', ')
  if (scenario.kind === 'control') {
    assert.deepEqual(report.leaks, [], `control reported leaks: ${found}`)
    assert.deepEqual(report.listenerGrowth, [], 'no listener growth in a control')
    return
  }
  const { name, perCall, minPerCall, holder, label, cause, hint, detail, listenerEvent, entries = 1, reason = 'grows-with-calls' } = scenario.expect
  const group = report.leaks.find((g) => holding(g, name))
  assert.ok(group, `${name} not among leaks: ${found || 'none'}`)
  // One leak is one growth point, unless the scenario says why not (`entries`: a count, or
  // the counts the Node releases give).
  assert.ok([entries].flat().includes(report.leaks.length), `one leak is ${entries} growth point(s): ${found}`)
  if (perCall !== undefined) assert.equal(group.countPerIteration, perCall)
  if (minPerCall !== undefined) assert.ok(group.countPerIteration >= minPerCall, `${group.countPerIteration} per call`)
  assert.match(pathText(group), holder)
  if (label) assert.match(group.holder.label, label)
  assert.equal(group.cause.pattern, cause, `${group.cause.title}: ${group.cause.detail}\n${pathText(group)}`)
  assert.ok(group.cause.hint, 'a known pattern comes with a fix')
  if (hint) assert.match(group.cause.hint, hint)
  if (detail) assert.match(group.cause.detail, detail)
  if (listenerEvent) {
    const grown = report.listenerGrowth.find((g) => g.event === listenerEvent)
    assert.ok(grown, `listener growth on '${listenerEvent}': ${JSON.stringify(report.listenerGrowth)}`)
    assert.equal(grown.perCall, perCall)
  }
  assert.equal(group.verdict.reason, reason)
  assert.equal(report.summary.confirmed, true)
}

module.exports = { checkScenario }
