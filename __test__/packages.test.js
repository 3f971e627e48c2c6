'use strict'
// Real leaks in published npm packages, each pinned at a leaky release (devDependencies through
// npm aliases), beside its fixed release or its correct use as a control. Each leak must be
// reported as one growth point first, naming the holder that really grows, with the cause
// and the per-call rate a person would state; each control must report nothing. Each runs
// hunt() in its own process, on every Node release the suite has.
const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')

const { otherNodes } = require('./helpers/snapshots.js')
const { huntInChild } = require('./helpers/hunt-in-child.js')

const dir = path.join(__dirname, 'packages')
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort()
const matches = (pattern, text) => (pattern instanceof RegExp ? pattern.test(text) : pattern === text)
const describeAll = (report) => report.leaks.map((g) => `${g.holder.label}: ${g.name} ×${g.countPerIteration} (${g.cause.pattern})`).join('; ') || 'none'
/** What the report says, without what changes from run to run (ids, sizes, timings). */
const gist = (report) => report.leaks.map((g) => [g.holder.label, g.name, g.countPerIteration, g.cause.pattern, g.cause.detail, g.cause.hint, g.breakdown.map((c) => c.name)])

const nodes = { [process.versions.node.split('.')[0]]: process.execPath, ...otherNodes() }

for (const [major, node] of Object.entries(nodes)) {
  describe(`published packages on Node ${major}`, { concurrency: 2 }, () => {
    for (const file of files) {
      const scenario = require(path.join(dir, file))
      it(`${scenario.kind}: ${scenario.package} (${file})`, async () => {
        const report = await huntInChild(path.join(dir, file), node)
        if (scenario.kind === 'control') {
          assert.deepEqual(report.leaks.map((g) => g.holder.label), [], `control reported: ${describeAll(report)}`)
          assert.deepEqual(report.listenerGrowth, [], 'no listener growth in a control')
          return
        }
        const { holder, name, perCall, minPerCall, cause, hint, alongside } = scenario.expect
        const lead = report.leaks[0]
        assert.ok(lead, 'the leak is found')
        assert.ok(matches(holder, lead.holder.label), `lead entry: ${describeAll(report)}`)
        if (name !== undefined) assert.ok(matches(name, lead.name) || lead.breakdown.some((c) => matches(name, c.name)), `${name} held by the lead entry: ${describeAll(report)}`)
        assert.ok(report.leaks.length <= 2, `at most one other entry: ${describeAll(report)}`)
        if (alongside) {
          const labels = (lead.alongside || []).map((a) => a.holder.label).sort()
          assert.equal(labels.length, alongside.length, `alongside: ${labels}`)
          for (const pattern of alongside) assert.ok(labels.some((l) => pattern.test(l)), `${pattern} alongside: ${labels}`)
        }
        if (perCall !== undefined) assert.equal(lead.countPerIteration, perCall, describeAll(report))
        if (minPerCall !== undefined) assert.ok(lead.countPerIteration >= minPerCall, describeAll(report))
        if (cause) assert.equal(lead.cause.pattern, cause, `${lead.cause.title}: ${lead.cause.detail}`)
        assert.ok(lead.cause.hint, 'a known pattern comes with a fix')
        if (hint) assert.match(lead.cause.hint, hint)
        assert.equal(lead.verdict.reason, 'grows-with-calls')
      })
    }
  })
}

describe('the same leak gives the same report', () => {
  it('three hunts of debug@4.1.1 say the same', async () => {
    const file = path.join(dir, 'debug-instances.js')
    const runs = []
    for (let k = 0; k < 3; k++) runs.push(gist(await huntInChild(file)))
    assert.deepEqual(runs[1], runs[0])
    assert.deepEqual(runs[2], runs[0])
  })
})
