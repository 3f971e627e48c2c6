'use strict'
// The three-snapshot analysis on real snapshots written by child Node processes.
const { describe, it, after } = require('node:test')
const assert = require('node:assert/strict')
const { analyzeSnapshots, readSnapshot, formatReport } = require('..')
const { threeSnapshots, countByHand, otherNodes } = require('./helpers/snapshots.js')

const ITERATIONS = 20
const pathText = (point) => [...point.retainerPath, ...point.samplePath].map((s) => [s.edge, s.name].filter(Boolean).join(':')).join(' -> ')
/** The growth point holding objects of class `name`, and how many it holds. */
const holding = (report, name, kind = 'object') => {
  const point = report.leaks.find((g) => g.breakdown.some((c) => c.name === name && c.kind === kind))
  return point && { point, held: point.breakdown.find((c) => c.name === name && c.kind === kind) }
}

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
      assert.ok(group, `no growth point led by LeakyThing in ${report.leaks.map((g) => g.name)}`)
      const byHand = countByHand(ledger, (n) => n.type === 'object' && n.name === 'LeakyThing')
      assert.equal(byHand, ITERATIONS)
      assert.equal(group.leadingCount, byHand)
      assert.equal(group.breakdown.find((c) => c.name === 'LeakyThing').count, byHand)
      assert.equal(group.holder.name, 'Array')
      assert.equal(report.leaks.length, 1, 'one growth point: the ledger')
      assert.equal(group.countPerIteration, 1)
      assert.equal(group.kind, 'object')
      assert.ok(group.selfSize > 0 && group.retainedSize >= group.selfSize)
      assert.equal(group.sampleIds.length, 5)
    })

    it('gives a retainer path, root first, to the holder and on to an object', async () => {
      const report = await analyzeSnapshots(ledger.baseline, ledger.target, ledger.final)
      const group = report.leaks.find((g) => g.name === 'LeakyThing')
      const text = pathText(group)
      assert.match(text, /__ledger/, text)
      assert.equal(group.retainerPath.at(-1).edge, '__ledger')
      assert.equal(group.retainerPath.at(-1).id, group.holder.id)
      assert.equal(group.holder.label, 'globalThis.__ledger')
      const last = group.samplePath.at(-1)
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
      const objects = holding(report, 'Object')
      assert.ok(!objects || objects.held.count < 50, `temporaries reported: ${objects && objects.held.count}`)
      // The 3 warm-up LeakyThings predate the baseline.
      assert.equal(holding(report, 'LeakyThing').held.count, ITERATIONS)
      // V8 internals are left out unless asked for.
      assert.ok(report.leaks.every((g) => !g.internal))
      const all = await analyzeSnapshots(ledger.baseline, ledger.target, ledger.final, { includeInternals: true })
      assert.ok(all.summary.leakedObjectCount >= report.summary.leakedObjectCount)
      assert.equal(all.summary.internalObjectCount, 0)
    })

    it('finds a leak held by a module-level Map through the closure context', async () => {
      const report = await analyzeSnapshots(cache.baseline, cache.target, cache.final, { iterations: ITERATIONS })
      const { point, held } = holding(report, 'CacheEntry')
      assert.equal(held.count, countByHand(cache, (n) => n.name === 'CacheEntry' && n.type === 'object'))
      assert.equal(held.count, ITERATIONS)
      assert.match(pathText(point), /sessionCache/)
      assert.equal(point.holder.name, 'Map')
    })

    it('groups closures by function name and gives where they are defined', async () => {
      const report = await analyzeSnapshots(cache.baseline, cache.target, cache.final)
      const found = holding(report, 'onRequest()', 'closure')
      assert.ok(found, report.leaks.map((g) => g.name).join(', '))
      assert.equal(found.held.count, ITERATIONS)
      const group = found.point
      assert.equal(group.name, 'onRequest()')
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

describe('offline verdicts', () => {
  const set = threeSnapshots('leak-and-lazy.js', { iterations: 10 })
  after(() => set.cleanup())

  it('with three files and the number of calls, one object over the calls is not a leak', async () => {
    const report = await analyzeSnapshots(set.baseline, set.target, set.final, { iterations: 10 })
    assert.deepEqual(report.leaks.map((g) => [g.holder.label, g.name, g.countPerIteration]), [['bookings', 'Booking', 1]])
    assert.equal(report.retained.find((g) => g.name === 'RateTable').verdict.reason, 'single')
    assert.equal(report.summary.confirmed, false)
  })

  it('with three files, far fewer new objects than calls is unconfirmed growth, not a leak', async () => {
    const report = await analyzeSnapshots(set.baseline, set.target, set.final, { iterations: 10 })
    const queue = report.retained.find((g) => g.name === 'PendingUpdate')
    assert.ok(queue, JSON.stringify(report.leaks.map((g) => g.name)))
    assert.equal(queue.verdict.reason, 'unconfirmed')
    assert.match(formatReport(report), /PendingUpdate[\s\S]*fewer than one per four calls/)
  })

  it('takes a fourth snapshot as a second round, and judges each growth point by it', async () => {
    const report = await analyzeSnapshots(set.baseline, set.target, set.final, { iterations: 10, confirm: set.confirm })
    assert.equal(report.summary.confirmed, true)
    assert.deepEqual(report.leaks.map((g) => [g.holder.label, g.verdict.reason]), [['bookings', 'grows-with-calls']])
    const lazy = report.retained.find((g) => g.name === 'RateTable')
    assert.equal(lazy.verdict.reason, 'one-time')
    // The same without the number of calls: the second round alone tells them apart.
    const unnumbered = await analyzeSnapshots(set.baseline, set.target, set.final, { confirm: set.confirm })
    assert.deepEqual(unnumbered.leaks.map((g) => g.holder.label), ['bookings'])
  })

  it('refuses a baseline and a target of two processes', async () => {
    const other = threeSnapshots('global-ledger.js', { iterations: 10 })
    try {
      await assert.rejects(analyzeSnapshots(set.baseline, other.target, other.final), (err) => {
        assert.equal(err.code, 'ERR_LEAKHUNT_UNRELATED_SNAPSHOTS')
        assert.match(err.message, /not of one process: of \d+ sampled object ids both snapshots have, only \d+ are the same object/)
        return true
      })
    } finally {
      other.cleanup()
    }
  })
})
