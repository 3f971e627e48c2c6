'use strict'
// The three-snapshot analysis on real snapshots written by child Node processes.
const { describe, it, after } = require('node:test')
const assert = require('node:assert/strict')
const { analyzeSnapshots, readSnapshot } = require('..')
const { threeSnapshots, countByHand, otherNodes } = require('./helpers/snapshots.js')

const ITERATIONS = 20
const pathText = (group) => group.retainerPath.map((s) => s.edge || s.name).join(' -> ')

const nodes = { [process.versions.node.split('.')[0]]: process.execPath, ...otherNodes() }

for (const [major, node] of Object.entries(nodes)) {
  describe(`snapshots from Node ${major}`, () => {
    const ledger = threeSnapshots('global-ledger.js', { iterations: ITERATIONS, node })
    const cache = threeSnapshots('module-cache.js', { iterations: ITERATIONS, node })
    after(() => {
      ledger.cleanup()
      cache.cleanup()
    })

    it('reports the leaked class with its exact count, checked by hand', async () => {
      const report = await analyzeSnapshots(ledger.baseline, ledger.target, ledger.final, { iterations: ITERATIONS })
      const group = report.leaks.find((g) => g.name === 'LeakyThing')
      assert.ok(group, `no LeakyThing group in ${report.leaks.map((g) => g.name)}`)
      const byHand = countByHand(ledger, (n) => n.type === 'object' && n.name === 'LeakyThing')
      assert.equal(byHand, ITERATIONS)
      assert.equal(group.count, byHand)
      assert.equal(group.countPerIteration, 1)
      assert.equal(group.kind, 'object')
      assert.ok(group.selfSize > 0 && group.retainedSize >= group.selfSize)
      assert.equal(group.sampleIds.length, 5)
    })

    it('gives a retainer path, root first, that names the holder', async () => {
      const report = await analyzeSnapshots(ledger.baseline, ledger.target, ledger.final)
      const group = report.leaks.find((g) => g.name === 'LeakyThing')
      const text = pathText(group)
      assert.match(text, /__ledger/, text)
      const last = group.retainerPath.at(-1)
      assert.equal(last.name, 'LeakyThing')
      // The last step is a real member: a JS heap object (odd id) that the final file names LeakyThing.
      assert.ok(Number.isInteger(last.id) && last.id > 0 && last.id % 2 === 1, `id ${last.id}`)
      const raw = JSON.parse(require('node:fs').readFileSync(ledger.final, 'utf8'))
      const fields = raw.snapshot.meta.node_fields
      const at = raw.nodes.findIndex((v, i) => i % fields.length === fields.indexOf('id') && v === last.id)
      assert.ok(at >= 0, `id ${last.id} is in the final snapshot`)
      assert.equal(raw.strings[raw.nodes[at - fields.indexOf('id') + fields.indexOf('name')]], 'LeakyThing')
    })

    it('does not report temporaries or objects that existed before the baseline', async () => {
      const report = await analyzeSnapshots(ledger.baseline, ledger.target, ledger.final)
      // 50 temporaries per call were created and dropped; none may survive into a group.
      const objects = report.leaks.find((g) => g.name === 'Object')
      assert.ok(!objects || objects.count < 50, `temporaries reported: ${objects && objects.count}`)
      // The 3 warm-up LeakyThings predate the baseline.
      assert.equal(report.leaks.find((g) => g.name === 'LeakyThing').count, ITERATIONS)
      // V8 internals are left out unless asked for.
      assert.ok(report.leaks.every((g) => !g.internal))
      const all = await analyzeSnapshots(ledger.baseline, ledger.target, ledger.final, { includeInternals: true })
      assert.ok(all.summary.leakedObjectCount >= report.summary.leakedObjectCount)
      assert.equal(all.summary.internalObjectCount, 0)
    })

    it('finds a leak held by a module-level Map through the closure context', async () => {
      const report = await analyzeSnapshots(cache.baseline, cache.target, cache.final, { iterations: ITERATIONS })
      const group = report.leaks.find((g) => g.name === 'CacheEntry')
      assert.ok(group)
      assert.equal(group.count, countByHand(cache, (n) => n.name === 'CacheEntry' && n.type === 'object'))
      assert.equal(group.count, ITERATIONS)
      assert.match(pathText(group), /sessionCache/)
    })

    it('groups closures by function name and gives where they are defined', async () => {
      const report = await analyzeSnapshots(cache.baseline, cache.target, cache.final)
      const group = report.leaks.find((g) => g.kind === 'closure' && g.name === 'onRequest()')
      assert.ok(group, report.leaks.map((g) => g.name).join(', '))
      assert.equal(group.count, ITERATIONS)
      assert.equal(group.location.line, 14) // module-cache.js, where onRequest is written
      assert.match(pathText(group), /handlers/)
    })

    it('reads one snapshot with counts that match JSON.parse and a summary', async () => {
      const snapshot = await readSnapshot(ledger.final)
      const raw = JSON.parse(require('node:fs').readFileSync(ledger.final, 'utf8'))
      assert.equal(snapshot.nodeCount, raw.snapshot.node_count)
      assert.equal(snapshot.edgeCount, raw.snapshot.edge_count)
      const summary = await snapshot.summary(10)
      assert.equal(summary.topByCount.length, 10)
      // Every class, so LeakyThing is surely listed: the warm-up's 3 and one per call.
      const all = await snapshot.summary(1_000_000)
      const things = all.topByCount.find((c) => c.name === 'LeakyThing')
      assert.ok(things, 'LeakyThing is among the classes')
      assert.equal(things.count, ITERATIONS + 3)
      // The root retains the whole heap: the largest retained size is the total.
      assert.equal(summary.topByRetainedSize[0].retainedSize, summary.totalSize)
      for (const c of summary.topByRetainedSize) assert.ok(c.retainedSize >= c.selfSize)
    })
  })
}
