'use strict'
// Safety: secrets never printed whole (and not at all with `redact`), nothing left on disk
// when a hunt is killed by a signal, and the event loop free while an analysis runs.
const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const { spawn } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { monitorEventLoopDelay } = require('node:perf_hooks')
const { hunt, formatReport, renderHtml, analyzeSnapshots } = require('..')
const { threeSnapshots } = require('./helpers/snapshots.js')
const secrets = require('./fixtures/secrets.js')

describe('secrets', () => {
  it('are cut short in every report, and gone with redact', async () => {
    const plain = await hunt(secrets.action, { iterations: 8 })
    const outputs = (report) => [formatReport(report), JSON.stringify(report), renderHtml(report)]
    assert.ok(plain.leaks.length > 0)
    for (const text of outputs(plain)) assert.ok(!text.includes(secrets.SECRET), 'no heap string appears whole')

    const redacted = await hunt(secrets.action, { iterations: 8, redact: true })
    assert.ok(redacted.leaks.length > 0, 'redact hides contents, not leaks')
    assert.equal(redacted.summary.redacted, true)
    for (const text of outputs(redacted)) {
      assert.ok(!/SeCrEt/.test(text), 'no trace of any secret: values or keys')
    }
  })
})

describe('cleanup on signals', () => {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    it(`leaves no file behind when the process gets ${signal} mid-hunt`, async () => {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-signal-'))
      try {
        const child = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'hunt-until-killed.js')], {
          env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp, NODE_OPTIONS: '' },
          stdio: ['ignore', 'pipe', 'inherit'],
        })
        let seen = ''
        const exited = new Promise((resolve) => child.on('exit', (code, sig) => resolve(sig || code)))
        await new Promise((resolve) => {
          child.stdout.on('data', (d) => {
            seen += d
            // Mid-hunt: between the baseline and the final snapshot.
            if (/iterations/.test(seen)) resolve()
          })
        })
        child.kill(signal)
        assert.equal(await exited, signal)
        assert.doesNotMatch(seen, /done/, 'killed before the hunt ended')
        assert.deepEqual(fs.readdirSync(tmp), [], 'nothing written to the temp directory')
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true })
      }
    })
  }
})

describe('the main thread', () => {
  it('stays free while snapshots are analysed', async () => {
    const set = threeSnapshots('big-heap.js', { iterations: 5 })
    try {
      const delay = monitorEventLoopDelay({ resolution: 10 })
      // A timer that must keep firing while the analysis runs on the thread pool.
      let ticks = 0
      const timer = setInterval(() => ticks++, 5)
      delay.enable()
      // One analysis of this heap takes well under 100 ms on a fast machine, too short to
      // tell a blocked loop from a free one; analyses back to back make the window long.
      const started = performance.now()
      let report
      let runs = 0
      while (performance.now() - started < 400) {
        report = await analyzeSnapshots(set.baseline, set.target, set.final, { iterations: 5 })
        runs++
      }
      const ms = performance.now() - started
      delay.disable()
      clearInterval(timer)
      assert.ok(report.summary.final.nodeCount > 300_000)
      const worstMs = delay.max / 1e6
      assert.ok(report.leaks.length > 0, `${runs} analyses found the leak`)
      assert.ok(worstMs < Math.max(50, ms / 4), `event loop blocked for ${worstMs.toFixed(1)} ms of ${ms.toFixed(0)} ms`)
      assert.ok(ticks >= ms / 5 / 4, `${ticks} timer ticks in ${ms.toFixed(0)} ms`)
    } finally {
      set.cleanup()
    }
  })
})
