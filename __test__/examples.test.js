'use strict'
// The guide's examples (docs/GUIDE.md) run here, so the guide never goes stale: every
// examples/leaks/*.leaky.js is caught with the cause the guide names, and its *.fixed.js twin
// passes. Each is hunted in a fresh process, as `npx leakhunt run` would.
const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { huntInChild: hunt } = require('./helpers/hunt-in-child.js')

const dir = path.join(__dirname, '..', 'examples', 'leaks')
const names = [...new Set(fs.readdirSync(dir).map((f) => f.split('.')[0]))].sort()

describe('guide examples', { concurrency: 2 }, () => {
  for (const name of names) {
    it(`${name}: the leaky version is caught with its cause, the fixed one passes`, async () => {
      const leakyFile = path.join(dir, `${name}.leaky.js`)
      const { expectCause } = require(leakyFile)
      const [leaky, fixed] = await Promise.all([hunt(leakyFile), hunt(path.join(dir, `${name}.fixed.js`))])
      const causes = leaky.leaks.map((g) => `${g.name}: ${g.cause.pattern}`)
      assert.ok(leaky.leaks.length > 0, 'the leak is found')
      assert.ok(leaky.leaks.some((g) => g.cause.pattern === expectCause), `${expectCause} among ${causes.join(', ')}`)
      assert.deepEqual(fixed.leaks.map((g) => g.name), [], 'the fixed twin passes')
    })
  }
})
