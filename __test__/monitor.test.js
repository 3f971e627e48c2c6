'use strict'
// monitor(): a steadily growing heap is reported, a heavy but stable churn is not, over the
// same number of major GCs (driven explicitly by the child, so no timing luck is involved).
const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { monitor, analyzeSnapshots, gc } = require('..')
const { theilSen, mannKendall } = require('../lib/monitor.js')

const CHILD = path.join(__dirname, 'fixtures', 'monitor-child.js')
const STEPS = 60
// Steps are milliseconds apart, so a minute's growth is extrapolated from well under a second:
// the leak climbs at hundreds of MB a minute, the churn's floor drifts by a few.
const GROWTH = 20_000_000

function child(mode, snapshotDir) {
  const args = ['--expose-gc', CHILD, mode, String(STEPS), String(GROWTH)]
  if (snapshotDir) args.push(snapshotDir)
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } }))
}

describe('monitor()', () => {
  it('reports a heap that grows after every major GC, with its evidence', () => {
    const out = child('leak')
    assert.ok(out.leakAt !== null, JSON.stringify(out.stats.trend))
    assert.ok(out.leakAt <= 20, `reported after ${out.leakAt} of ${STEPS} major GCs`)
    assert.ok(out.evidence.slopeBytesPerMinute > GROWTH)
    assert.ok(out.evidence.confidence >= 0.99)
    assert.ok(out.evidence.samples >= 12)
    assert.equal(out.stats.gc.major.count >= STEPS, true)
  })

  it('does not report heavy churn whose floor stays level', () => {
    const out = child('churn')
    assert.equal(out.leakAt, null, JSON.stringify(out.stats.trend))
    assert.equal(out.samples, STEPS)
    assert.equal(out.stats.trend.suspected, false)
  })

  it('writes private snapshots while the climb lasts, which analyze finds the leak in', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-monitor-test-')), 'snaps')
    try {
      const out = child('leak', dir)
      assert.equal(out.stats.snapshots.length, 3, 'maxSnapshots caps them')
      assert.equal(fs.statSync(dir).mode & 0o777, 0o700)
      for (const file of out.stats.snapshots) assert.equal(fs.statSync(file).mode & 0o777, 0o600)
      const [a, b, c] = out.stats.snapshots
      const report = await analyzeSnapshots(a, b, c)
      // Each step keeps an array of 1000 row objects: one step's rows are new in b, alive in c.
      const rows = report.leaks.filter((g) => g.name === 'Object' && g.count >= 1000)
      assert.equal(rows.length, 1, JSON.stringify(report.leaks.map((g) => [g.name, g.count])))
    } finally {
      fs.rmSync(path.dirname(dir), { recursive: true, force: true })
    }
  })

  it('samples after major GCs only, gives stats, and stops cleanly', async () => {
    const m = monitor()
    const samples = []
    m.on('sample', (s) => samples.push(s))
    await gc()
    await new Promise((resolve) => setTimeout(resolve, 20))
    assert.ok(samples.length >= 1)
    for (const key of ['heapUsed', 'rss', 'external', 'arrayBuffers']) assert.equal(typeof samples[0][key], 'number')
    const stats = m.stats()
    assert.ok(stats.gc.major.count >= 1)
    assert.equal(typeof stats.heapUsedAfterMajorGc, 'number')
    m.stop()
    const before = samples.length
    await gc()
    await new Promise((resolve) => setTimeout(resolve, 20))
    assert.equal(samples.length, before, 'no samples after stop()')
  })

  it('rejects bad options', () => {
    assert.throws(() => monitor({ windowMs: -1 }), { code: 'ERR_INVALID_ARG_TYPE' })
    assert.throws(() => monitor({ minSamples: 1 }), { code: 'ERR_INVALID_ARG_TYPE' })
    assert.throws(() => monitor({ snapshotOnLeak: {} }), { code: 'ERR_INVALID_ARG_TYPE' })
  })

  it('fits trends robustly', () => {
    const line = Array.from({ length: 20 }, (_, i) => ({ time: i * 1000, heapUsed: 1e6 + i * 1000 }))
    assert.equal(theilSen(line), 1) // 1000 bytes per 1000 ms
    const spiky = line.map((p, i) => (i % 5 === 0 ? { ...p, heapUsed: p.heapUsed + 5e6 } : p))
    assert.equal(theilSen(spiky), 1, 'outliers do not move the slope')
    assert.ok(mannKendall(line) > 0.999)
    const flat = Array.from({ length: 20 }, (_, i) => ({ time: i, heapUsed: 1e6 + (i % 2) * 100 }))
    assert.ok(mannKendall(flat) < 0.9)
  })
})
