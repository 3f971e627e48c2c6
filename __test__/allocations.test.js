'use strict'
// Where leaks come from: the class and closure definitions every report carries, and the
// allocation stacks that hunt({ trackAllocations: true }) and DevTools-style tracked snapshot
// files add. Real V8 on a fixture whose lines the tests look up by text.
const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const v8 = require('node:v8')
const { hunt, formatReport, analyzeSnapshots } = require('..')
const { threeSnapshots, otherNodes } = require('./helpers/snapshots.js')

const FIXTURE = path.join(__dirname, 'fixtures', 'allocation-sites.js')
const app = require(FIXTURE)
const SOURCE = fs.readFileSync(FIXTURE, 'utf8').split('\n')

/** 1-based line and the column V8 gives a function: the position of its parameter list. */
function positionOf(text) {
  const line = SOURCE.findIndex((l) => l.includes(text))
  assert.ok(line >= 0, `the fixture has ${text}`)
  return { line: line + 1, column: SOURCE[line].indexOf('(', SOURCE[line].indexOf(text)) + 1 }
}

const LEAKHUNT_LIB = path.join(__dirname, '..', 'lib')

/** Whether the process's next snapshot carries an allocation trace (the tracker still runs). */
async function trackerRunning() {
  let head = ''
  for await (const chunk of v8.getHeapSnapshot()) {
    head += chunk.toString('utf8', 0, Math.min(chunk.length, 4096))
    break
  }
  const m = /"trace_function_count":(\d+)/.exec(head)
  assert.ok(m, 'the snapshot header names its trace function count')
  return Number(m[1]) > 0
}

describe('allocation sites', () => {
  it('names the stack that allocated each leak, with tracking on', async () => {
    let n = 0
    const report = await hunt(() => app.action(n++), { iterations: 10, trackAllocations: true })
    assert.equal(report.summary.allocationTracking, true)
    assert.equal(report.summary.trackAllocations, true)

    const invoice = report.leaks.find((g) => g.name === 'Invoice')
    assert.ok(invoice, formatReport(report))
    assert.equal(invoice.tracedCount, invoice.count)
    const [stack] = invoice.allocationStacks
    assert.equal(stack.count, invoice.count)
    const [inner, caller] = stack.frames
    assert.deepEqual({ fn: inner.functionName, file: inner.scriptName, line: inner.line }, { fn: 'recordInvoice', file: FIXTURE, line: positionOf('function recordInvoice').line })
    assert.equal(inner.column, positionOf('function recordInvoice').column)
    assert.equal(caller.functionName, 'handleRequest')
    assert.equal(caller.line, positionOf('function handleRequest').line)
    for (const group of report.leaks) {
      for (const s of group.allocationStacks) {
        assert.ok(s.frames.every((f) => !(f.scriptName || '').startsWith(LEAKHUNT_LIB)), 'the hunt’s own frames are cut')
      }
    }

    const closure = report.leaks.find((g) => g.kind === 'closure' && g.name.startsWith('onInvoicePaid'))
    assert.ok(closure, formatReport(report))
    assert.equal(closure.allocationStacks[0].frames[0].functionName, 'subscribe')

    const text = formatReport(report)
    const at = positionOf('function recordInvoice')
    assert.ok(text.includes(`allocated at recordInvoice (${FIXTURE}:${at.line}:${at.column})`), text)
    assert.ok(text.includes(`        at handleRequest (${FIXTURE}:${positionOf('function handleRequest').line}:`), text)

    assert.equal(await trackerRunning(), false, 'tracking stops with the hunt')
  })

  it('gives closures and classes their definitions without tracking', async () => {
    let n = 0
    const report = await hunt(() => app.action(n++), { iterations: 10 })
    assert.equal(report.summary.allocationTracking, false)
    const closure = report.leaks.find((g) => g.kind === 'closure' && g.name.startsWith('onInvoicePaid'))
    assert.ok(closure, formatReport(report))
    assert.deepEqual(closure.location && { file: closure.location.scriptName, line: closure.location.line }, {
      file: FIXTURE,
      line: positionOf('function onInvoicePaid').line,
    })
    const invoice = report.leaks.find((g) => g.name === 'Invoice')
    assert.deepEqual(invoice.location && { file: invoice.location.scriptName, line: invoice.location.line }, {
      file: FIXTURE,
      line: positionOf('constructor(number)').line,
    })
    assert.deepEqual(invoice.allocationStacks, [])
    const text = formatReport(report)
    assert.match(text, /__test__\/fixtures\/allocation-sites\.js exports\.ledger gains 1 Invoice per call, class at .*allocation-sites\.js:\d+:\d+/)
    assert.doesNotMatch(text, /allocated at/)
  })

  it('stops tracking when the hunted function throws', async () => {
    let calls = 0
    await assert.rejects(
      hunt(() => {
        if (++calls > 5) throw new Error('boom')
      }, { iterations: 10, trackAllocations: true }),
      (err) => err.code === 'ERR_LEAKHUNT_FN_THREW' && err.cause.message === 'boom',
    )
    assert.equal(await trackerRunning(), false)
  })

  it('rejects a non-boolean trackAllocations', async () => {
    await assert.rejects(hunt(() => {}, { trackAllocations: 'yes' }), { code: 'ERR_INVALID_ARG_TYPE' })
  })

  const nodes = { [process.versions.node.split('.')[0]]: process.execPath, ...otherNodes() }
  for (const [major, node] of Object.entries(nodes)) {
    it(`reads the allocation trace of snapshot files written with tracking on (Node ${major})`, async () => {
      const set = threeSnapshots('allocation-sites.js', { iterations: 12, node, trackAllocations: true })
      try {
        const report = await analyzeSnapshots(set.baseline, set.target, set.final, { iterations: 12 })
        assert.equal(report.summary.allocationTracking, true)
        const invoice = report.leaks.find((g) => g.name === 'Invoice')
        assert.ok(invoice)
        assert.equal(invoice.leadingCount, 12)
        const frames = invoice.allocationStacks[0].frames
        assert.equal(frames[0].functionName, 'recordInvoice')
        assert.equal(frames[0].line, positionOf('function recordInvoice').line)
        assert.equal(frames[1].functionName, 'handleRequest')
        assert.match(formatReport(report), /allocated at recordInvoice \(.*allocation-sites\.js:\d+:\d+\)/)
      } finally {
        set.cleanup()
      }
    })
  }
})
