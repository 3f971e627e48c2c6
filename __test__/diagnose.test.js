'use strict'
// diagnose() on growth points shaped like V8's heaps, for the shapes the scenario corpus does
// not reach and for holders that must not be given a pattern. (The corpus and the real-package
// corpus check each leak's cause on real heaps: scenarios.test.js, packages.test.js.)
const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const { diagnose } = require('..')
const { withCauses } = require('../lib/diagnose.js')

const step = (edge, edgeType, name, nodeType = 'object', key) => ({ edge, edgeType, name, nodeType, id: 1, ...(key ? { key } : {}) })
const root = [step('', '', '(GC roots)', 'synthetic'), step('19', 'internal', 'process'), step('exports', 'property', 'Object')]
/** A growth point: the path to its holder, and on from it to one object of `name`. */
const point = (retainerPath, samplePath, extra = {}) => ({
  kind: 'object',
  name: samplePath.length ? samplePath[samplePath.length - 1].name : 'Thing',
  retainerPath,
  samplePath,
  leadingCount: 20,
  countPerIteration: 1,
  breakdown: [],
  holder: { id: 1, name: retainerPath.length ? retainerPath[retainerPath.length - 1].name : '', nodeType: 'object' },
  ...extra,
})
const labelled = (p) => withCauses({ leaks: [p] }).leaks[0]

describe('diagnose() reads the holder', () => {
  it('names a module variable reassigned to a chain', () => {
    const p = point([...root, step('handle', 'property', 'handle()', 'closure'), step('context', 'internal', 'system / Context')], [step('lastRequest', 'context', 'Request'), step('previous', 'property', 'Request')])
    const cause = diagnose(p)
    assert.equal(cause.pattern, 'module-variable')
    assert.match(cause.detail, /`lastRequest`/)
  })

  it("names an AbortSignal's listeners by the Map key of its event, and does not offer once", () => {
    const signal = [...root, step('signal', 'property', 'AbortSignal'), step('<symbol kEvents>', 'property', 'Map')]
    const p = point(signal, [step('table', 'internal', '(internal array)', 'array'), step('6', 'internal', 'Object', 'object', '"abort"'), step('next', 'property', 'Listener')])
    const cause = diagnose(p)
    assert.equal(cause.pattern, 'event-listener')
    assert.equal(cause.detail, "a listener for 'abort' on AbortSignal (`signal`) is added on every call and never removed")
    assert.equal(cause.holder.event, 'abort')
    assert.match(cause.hint, /removeEventListener\(\)/)
    assert.match(cause.hint, /\{ once: true \} removes it only if the event ever fires/)
    // The list of one event, older than the baseline, is the holder: the same event.
    const listHolder = point([...signal, step('table', 'internal', '(internal array)', 'array'), step('6', 'internal', 'Object', 'object', '"abort"')], [step('next', 'property', 'Listener')])
    assert.equal(diagnose(listHolder).holder.event, 'abort')
  })

  it('names an emitter listener list by its event', () => {
    const p = point([...root, step('bus', 'property', 'EventEmitter'), step('_events', 'property', 'Object'), step('request', 'property', 'Array')], [step('[3]', 'element', 'onRequest()', 'closure')])
    const cause = diagnose(p)
    assert.equal(cause.pattern, 'event-listener')
    assert.equal(cause.holder.event, 'request')
  })

  it('takes the function property that grows, not Module._cache on the road to it', () => {
    const viaModuleCache = [
      step('', '', '(GC roots)', 'synthetic'),
      step('1', 'internal', 'Module()', 'closure'),
      step('_cache', 'property', 'Object'),
      step('/app/things.js', 'property', 'Module'),
      step('exports', 'property', 'Object'),
      step('createThing', 'property', 'createThing()', 'closure'),
      step('instances', 'property', 'Array'),
    ]
    const p = labelled(point(viaModuleCache, [step('[3]', 'element', 'Thing')]))
    assert.equal(p.cause.pattern, 'class-static')
    assert.equal(p.cause.title, 'Property of a long-lived function')
    assert.equal(p.cause.detail, 'createThing.instances lives as long as the function, and grows on every call')
    assert.equal(p.holder.label, 'createThing.instances')
  })

  it("names a store's dictionary as its user writes it, not the server listener above it", () => {
    const path = [
      step('', '', 'Node / TCPServerWrap', 'native'),
      step('native_to_javascript', 'internal', 'TCP'),
      step('<symbol owner_symbol>', 'property', 'Server'),
      step('_events', 'property', 'Object'),
      step('request', 'property', 'app()', 'closure'),
      step('context', 'internal', 'system / Context'),
      step('store', 'context', 'MemoryStore'),
      step('sessions', 'property', 'Object'),
    ]
    const p = labelled(point(path, [step('sid-123', 'property', '(string)', 'string')], { name: '(string)', kind: 'string' }))
    assert.equal(p.cause.pattern, 'collection-cache')
    assert.equal(p.holder.label, 'store.sessions')
    assert.match(p.cause.detail, /`store\.sessions` \(a plain object used as a dictionary\) gains 1 entry per call/)
  })

  it('names a memoized function’s cache by its chain of properties', () => {
    const path = [...root, step('memoized', 'property', 'memoized()', 'closure'), step('cache', 'property', 'MapCache'), step('__data__', 'property', 'Object'), step('string', 'property', 'Hash'), step('__data__', 'property', 'Object')]
    const p = labelled(point(path, [step('/a/b', 'property', 'Array')]))
    assert.equal(p.holder.label, 'memoized.cache.__data__.string.__data__')
    assert.equal(p.cause.pattern, 'collection-cache')
  })

  it("names the cleanup method of what each timer keeps, which its user can call, not clearTimeout on a handle they never hold", () => {
    const list = [...root, step('setInterval', 'property', 'setInterval()', 'closure'), step('context', 'internal', 'system / Context'), step('timerListMap', 'context', 'Object'), step('[600000]', 'element', 'TimersList')]
    const breakdown = [
      { name: 'Timeout', kind: 'object', count: 20, selfSize: 2000, retainedSize: 2000, cleanup: 'close' },
      { name: 'NodeCache', kind: 'object', count: 20, selfSize: 800, retainedSize: 4000, cleanup: 'close' },
      { name: 'bound _checkData()', kind: 'closure', count: 20, selfSize: 640, retainedSize: 640 },
    ]
    const p = labelled(point(list, [step('_idleNext', 'property', 'Timeout')], { breakdown }))
    assert.equal(p.cause.pattern, 'timer')
    assert.equal(p.holder.label, 'timers armed per call (600000 ms)')
    assert.match(p.cause.detail, /^1 timer armed per call stays pending .* each keeping a NodeCache alive/)
    assert.match(p.cause.hint, /NodeCache\.prototype\.close\(\)/)
    assert.doesNotMatch(p.cause.hint, /clearTimeout/)
  })

  it('names a value wrapped again on every call, when most entries come along a list under one key', () => {
    const path = [...root, step('defaults', 'property', 'Object'), step('renderers', 'property', 'Object')]
    const p = labelled(point(path, [step('mention', 'property', '(anonymous function)', 'closure')], { kind: 'closure', linkedCount: 19 }))
    assert.equal(p.cause.pattern, 'chained-value')
    assert.equal(p.cause.detail, '`process.exports.defaults.renderers.mention` is replaced on every call by a new (anonymous function) that keeps the one before it: a chain as long as the calls')
    assert.match(p.cause.hint, /once/)
    // Entries reached from the holder itself: a plain dictionary, not a chain.
    assert.equal(diagnose(point(path, [step('k', 'property', 'Thing')], { linkedCount: 0 })).pattern, 'collection-cache')
  })

  it('says unknown rather than guess', () => {
    for (const p of [
      point([step('', '', '(GC roots)', 'synthetic'), step('1', 'internal', '(Handle scope)', 'synthetic')], [step('2', 'internal', 'Thing')]),
      point([], [step('2', 'internal', 'Thing')]),
    ]) {
      const cause = diagnose(p)
      assert.equal(cause.pattern, 'unknown', JSON.stringify(p.retainerPath.map((s) => s.edge)))
      assert.equal(cause.hint, null)
    }
  })
})
