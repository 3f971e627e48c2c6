'use strict'
// The scenario corpus: every leak pattern must be found (class, count per call, holder on the
// retainer path), and no control may report a leak. Each runs hunt() in its own process.
const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')

const { otherNodes } = require('./helpers/snapshots.js')
const { huntInChild } = require('./helpers/hunt-in-child.js')

const dir = path.join(__dirname, 'scenarios')
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort()

const matches = (pattern, text) => (pattern instanceof RegExp ? pattern.test(text) : pattern === text)
const pathText = (point) => [...point.retainerPath, ...point.samplePath].map((s) => [s.edge, s.name].filter(Boolean).join(':')).join(' -> ')
/** The growth point that holds `name`: its leading class, or a class it holds. */
const holding = (point, name) => matches(name, point.name) || point.breakdown.some((c) => matches(name, c.name))

// V8's GC and snapshots differ between Node versions: the corpus runs on each one we have.
const nodes = { [process.versions.node.split('.')[0]]: process.execPath, ...otherNodes() }

for (const [major, node] of Object.entries(nodes)) describe(`scenario corpus on Node ${major}`, { concurrency: 2 }, () => {
  for (const file of files) {
    const scenario = require(path.join(dir, file))
    it(`${scenario.kind}: ${file}`, async () => {
      const report = await huntInChild(path.join(dir, file), node)
      const found = report.leaks.map((g) => `${g.holder.label}: ${g.name} ×${g.countPerIteration}`).join(', ')
      if (scenario.kind === 'control') {
        assert.deepEqual(report.leaks, [], `control reported leaks: ${found}`)
        assert.deepEqual(report.listenerGrowth, [], 'no listener growth in a control')
        return
      }
      const { name, perCall, minPerCall, holder, cause, listenerEvent } = scenario.expect
      const group = report.leaks.find((g) => holding(g, name))
      assert.ok(group, `${name} not among leaks: ${found || 'none'}`)
      assert.equal(report.leaks.length, 1, `one leak is one growth point: ${found}`)
      if (perCall !== undefined) assert.equal(group.countPerIteration, perCall)
      if (minPerCall !== undefined) assert.ok(group.countPerIteration >= minPerCall, `${group.countPerIteration} per call`)
      assert.match(pathText(group), holder)
      assert.equal(group.cause.pattern, cause, `${group.cause.title}: ${group.cause.detail}\n${pathText(group)}`)
      assert.ok(group.cause.hint, 'a known pattern comes with a fix')
      if (listenerEvent) {
        const grown = report.listenerGrowth.find((g) => g.event === listenerEvent)
        assert.ok(grown, `listener growth on '${listenerEvent}': ${JSON.stringify(report.listenerGrowth)}`)
        assert.equal(grown.perCall, perCall)
      }
      assert.equal(group.verdict.reason, 'grows-with-calls')
      assert.equal(report.summary.confirmed, true)
    })
  }
})
