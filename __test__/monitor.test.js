'use strict'
// monitor(): a steadily growing heap is reported, a heavy but stable churn is not, over the
// same number of major GCs (driven explicitly by the child, so no timing luck is involved).
const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const { execFile, execFileSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { monitor, analyzeSnapshots, gc } = require('..')
const { theilSen, mannKendall, DEFAULTS } = require('../lib/monitor.js')

const CHILD = path.join(__dirname, 'fixtures', 'monitor-child.js')
const STEPS = 60
// Steps are 50 ms apart, so a minute's growth is extrapolated from about three seconds:
// the leak climbs at about 100 MB a minute, the churn's floor drifts by one or two.
const GROWTH = 20_000_000

function child(mode, snapshotDir) {
  const args = ['--expose-gc', CHILD, mode, String(STEPS), String(GROWTH)]
  if (snapshotDir) args.push(snapshotDir)
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } }))
}

function clockChild(args) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(__dirname, 'fixtures', 'monitor-clock.js'), ...args], { timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '' } }, (err, stdout) =>
      err ? reject(err) : resolve(JSON.parse(stdout)),
    )
  })
}

describe('monitor() on V8\'s own GC timing, at default options', () => {
  it('reports a leak of 100 MB a minute that makes no garbage within 60 s, and stays quiet on a steady sawtooth over 60 s', async () => {
    assert.equal(DEFAULTS.minSamples, 10)
    const [leak, sawtooth] = await Promise.all([clockChild(['leak', '100', '60']), clockChild(['sawtooth', '0', '60'])])
    assert.ok(leak.leakAfterMs !== null && leak.leakAfterMs <= 60_000, `no leak reported in 60 s: ${JSON.stringify(leak.stats)}`)
    assert.ok(leak.evidence.confidence >= 0.99)
    assert.ok(leak.evidence.slopeBytesPerMinute >= 50e6, `slope ${leak.evidence.slopeBytesPerMinute}`)
    assert.equal(sawtooth.leakAfterMs, null, `sawtooth reported: ${JSON.stringify(sawtooth.evidence)}`)
    assert.equal(sawtooth.stats.trend.suspected, false)
    assert.ok(sawtooth.stats.gc.major.count >= 5, 'the sawtooth ran through several major GCs')
    assert.equal(typeof sawtooth.stats.waitingFor, 'string')
  })
})

describe('monitor()', () => {
  it('reports a heap that grows after every major GC, with its evidence', () => {
    const out = child('leak')
    assert.ok(out.leakAt !== null, JSON.stringify(out.stats.trend))
    assert.ok(out.leakAt <= 20, `reported after ${out.leakAt} of ${STEPS} major GCs`)
    assert.ok(out.evidence.slopeBytesPerMinute > GROWTH)
    assert.ok(out.evidence.confidence >= 0.99)
    // Hundreds of MB a minute is a fast climb: judged from 5 floors, not the child's minSamples (12).
    assert.ok(out.evidence.samples >= 5)
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
      const rows = report.leaks.filter((g) => g.breakdown.some((c) => c.name === 'Object' && c.count >= 1000))
      assert.equal(rows.length, 1, JSON.stringify(report.leaks.map((g) => [g.holder.label, g.breakdown])))
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

  it('rejects bad options: wrong types, values out of range, unknown keys', () => {
    assert.throws(() => monitor({ windowMs: 'soon' }), { code: 'ERR_INVALID_ARG_TYPE' })
    assert.throws(() => monitor({ windowMs: -1 }), { code: 'ERR_OUT_OF_RANGE', name: 'RangeError' })
    assert.throws(() => monitor({ minSamples: 1 }), { code: 'ERR_OUT_OF_RANGE' })
    assert.throws(() => monitor({ snapshotOnLeak: {} }), { code: 'ERR_INVALID_ARG_TYPE' })
    assert.throws(() => monitor({ windwMs: 8000 }), { code: 'ERR_INVALID_ARG_VALUE', message: /unknown option "windwMs" \(did you mean "windowMs"\?\)/ })
  })

  it('refuses options under which it could never report, and warns of a window too short for fast leaks', async () => {
    // 4 rising points: the exact test's best is 1 − 1/4! = 0.958 < 0.99.
    assert.throws(() => monitor({ minSamples: 4, maxSamples: 4 }), {
      code: 'ERR_LEAKHUNT_MONITOR_NEVER_FIRES',
      message: /at most 4 samples .* confidence of 0\.9583 at best, below minConfidence 0\.99/,
    })
    assert.throws(() => monitor({ maxSamples: 5, minConfidence: 0.999 }), { code: 'ERR_LEAKHUNT_MONITOR_NEVER_FIRES' })
    const warnings = []
    const onWarning = (w) => warnings.push(w)
    process.on('warning', onWarning)
    const m = monitor({ windowMs: 8000, minSamples: 5 })
    await new Promise((resolve) => setImmediate(resolve))
    process.off('warning', onWarning)
    m.stop()
    assert.equal(warnings.length, 1)
    assert.equal(warnings[0].code, 'LEAKHUNT_MONITOR_OPTIONS')
    assert.match(warnings[0].message, /windowMs \(8000\) holds fewer than 5 samples/)
  })

  it('says what it waits for', () => {
    const m = monitor()
    const stats = m.stats()
    m.stop()
    assert.match(stats.waitingFor, /^10 more heap samples after major GCs \(0 of 10 in the window; a climb of 32\.0 MB\/min or more needs 5\)$/)
    assert.equal(stats.forcedGcs, 0)
  })

  it('counts small samples exactly: 5 rising points reach p < 0.01, 4 never do', () => {
    const rising = (n) => Array.from({ length: n }, (_, i) => ({ time: i, heapUsed: i }))
    assert.equal(mannKendall(rising(4)), 1 - 1 / 24)
    assert.equal(mannKendall(rising(5)), 1 - 1 / 120)
    // One swapped pair among 5: S = 8, P(S >= 8) = (1 + 4) / 120.
    const swapped = rising(5)
    ;[swapped[1].heapUsed, swapped[2].heapUsed] = [swapped[2].heapUsed, swapped[1].heapUsed]
    assert.ok(Math.abs(mannKendall(swapped) - (1 - 5 / 120)) < 1e-12)
    assert.equal(mannKendall(rising(5).reverse()), 0)
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
