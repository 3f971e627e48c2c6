'use strict'
// assertNoLeaks (thresholds, the error and its data) and object tracking (track, collected,
// expectCollected) on real V8. The runners themselves are in runners.test.js.
const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const { assertNoLeaks, track, collected, expectCollected } = require('..')

class InvoiceLine {
  constructor(n) {
    this.n = n
  }
}

describe('assertNoLeaks()', () => {
  it('rejects a leaking function with the report as message and as data', async () => {
    const kept = []
    const err = await assertNoLeaks(() => kept.push(new InvoiceLine(kept.length)), { iterations: 10 }).then(
      () => assert.fail('a leak must reject'),
      (e) => e,
    )
    assert.ok(err instanceof assert.AssertionError)
    assert.equal(err.code, 'ERR_LEAKHUNT_LEAK')
    assert.match(err.message, /the function leaks: 10 objects at 1 growth point over 10 calls/)
    assert.match(err.message, /✖ kept gains 1 InvoiceLine per call, class at .*assert\.test\.js:\d+:\d+: 10 objects/)
    assert.match(err.message, /\.kept .*-> Array/)
    assert.equal(err.leakedObjects, 10)
    assert.equal(err.report.leaks[0].name, 'InvoiceLine')
  })

  it('counts a value that grows in bytes as one leaked object per call, past a threshold for stray objects', async () => {
    const latencies = []
    const err = await assertNoLeaks(() => latencies.push(Math.random(), Math.random()), { maxLeakedObjects: 5 }).then(
      () => assert.fail('an Array of numbers that only grows must reject'),
      (e) => e,
    )
    assert.equal(err.code, 'ERR_LEAKHUNT_LEAK')
    assert.equal(err.leakedObjects, 20)
    assert.match(err.message, /latencies grows by 16 B per call \(an Array of numbers, longer after every call\)/)
    assert.equal(err.report.leaks[0].verdict.reason, 'grows-in-bytes')
  })

  it('accepts a leak within maxLeakedObjects, and resolves to the report', async () => {
    const kept = []
    const report = await assertNoLeaks(() => kept.push(new InvoiceLine(kept.length)), { iterations: 10, maxLeakedObjects: 10 })
    assert.equal(report.leaks[0].count, 10)
  })

  it('fails on retained bytes with maxRetainedBytes even when the count is accepted', async () => {
    const kept = []
    const err = await assertNoLeaks(() => kept.push(new InvoiceLine(kept.length)), {
      iterations: 10,
      maxLeakedObjects: Infinity,
      maxRetainedBytes: 16,
    }).catch((e) => e)
    assert.equal(err.code, 'ERR_LEAKHUNT_LEAK')
    assert.match(err.message, /B retained > maxRetainedBytes 16/)
  })

  it('resolves for code that leaks nothing, and checks its options', async () => {
    const report = await assertNoLeaks(() => new InvoiceLine(1), { iterations: 10 })
    assert.equal(report.leaks.length, 0)
    await assert.rejects(assertNoLeaks(() => {}, { maxLeakedObjects: -1 }), { code: 'ERR_OUT_OF_RANGE', name: 'RangeError' })
    await assert.rejects(assertNoLeaks(() => {}, { maxLeakedObjects: 'none' }), { code: 'ERR_INVALID_ARG_TYPE' })
    await assert.rejects(assertNoLeaks(() => {}, { itrations: 5 }), { code: 'ERR_INVALID_ARG_VALUE', message: /did you mean "iterations"/ })
  })
})

describe('track() and expectCollected()', () => {
  it('resolves once a dropped object is collected', async () => {
    let ctx = track({ user: 'alice', rows: new Array(100).fill(0) }, 'dropped context')
    assert.equal(typeof ctx, 'object')
    ctx = null
    await expectCollected('dropped context')
  })

  it('names what still holds an object, from a real snapshot', async () => {
    globalThis.__openSessions = new Map()
    class UserSession {}
    globalThis.__openSessions.set('s1', track(new UserSession(), 'session s1'))
    try {
      const err = await expectCollected('session s1', { timeoutMs: 100 }).catch((e) => e)
      assert.ok(err instanceof assert.AssertionError)
      assert.equal(err.code, 'ERR_LEAKHUNT_NOT_COLLECTED')
      assert.match(err.message, /"session s1" was not garbage collected: UserSession/)
      assert.match(err.message, /__openSessions -> Map/)
      assert.equal(err.retainers.name, 'UserSession')
      assert.ok(err.retainers.retainerPath.some((step) => step.edge === '__openSessions'))
    } finally {
      delete globalThis.__openSessions
    }
    // Released now: the same label is collected.
    assert.equal(await collected('session s1'), true)
  })

  it('takes the object itself when nothing else holds it, and rejects unknown labels', async () => {
    assert.equal(await collected(track({ temporary: true })), true)
    await assert.rejects(expectCollected('never tracked'), { code: 'ERR_LEAKHUNT_NOT_TRACKED' })
    assert.throws(() => track(42), { code: 'ERR_INVALID_ARG_TYPE' })
  })
})
