'use strict'
// The scenario corpus: every leak pattern must be found (class, count per call, holder on the
// retainer path), and no control may report a leak. Each runs hunt() in its own process.
const { describe, it } = require('node:test')
const fs = require('node:fs')
const path = require('node:path')

const { otherNodes } = require('./helpers/snapshots.js')
const { huntInChild } = require('./helpers/hunt-in-child.js')
const { checkScenario } = require('./helpers/scenario-check.js')

const dir = path.join(__dirname, 'scenarios')
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort()

// V8's GC and snapshots differ between Node versions: the corpus runs on each one we have.
const nodes = { [process.versions.node.split('.')[0]]: process.execPath, ...otherNodes() }

for (const [major, node] of Object.entries(nodes)) describe(`scenario corpus on Node ${major}`, { concurrency: 2 }, () => {
  for (const file of files) {
    const scenario = require(path.join(dir, file))
    it(`${scenario.kind}: ${file}`, async () => {
      const report = await huntInChild(path.join(dir, file), node)
      checkScenario(report, scenario)
    })
  }
})
