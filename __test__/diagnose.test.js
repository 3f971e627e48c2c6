'use strict'
// diagnose() on paths shaped like V8's, for the patterns the scenario corpus does not reach
// and for paths that must not be given a pattern. (The corpus checks each leak's cause on
// real heaps: scenarios.test.js.)
const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const { diagnose } = require('..')

const step = (edge, edgeType, name, nodeType = 'object') => ({ edge, edgeType, name, nodeType, id: 1 })
const root = [step('', '', '(GC roots)', 'synthetic'), step('19', 'internal', 'process'), step('exports', 'property', 'Object')]
const group = (kind, retainerPath) => ({ kind, name: retainerPath.length ? retainerPath[retainerPath.length - 1].name : 'Thing', retainerPath })

describe('diagnose()', () => {
  it('names a module variable that holds objects directly', () => {
    const cause = diagnose(group('object', [...root, step('handle', 'property', 'handle()', 'closure'), step('context', 'internal', 'system / Context', 'hidden'), step('lastRequest', 'context', 'Request')]))
    assert.equal(cause.pattern, 'module-variable')
    assert.match(cause.detail, /`lastRequest`/)
  })

  it("names the EventTarget of a listener, never the Map's own table as its event, and does not offer once", () => {
    const cause = diagnose(group('closure', [...root, step('signal', 'property', 'AbortSignal'), step('<symbol kEvents>', 'property', 'Map'), step('table', 'internal', '(internal array)', 'array'), step('3', 'internal', 'onAbort()', 'closure')]))
    assert.equal(cause.pattern, 'event-listener')
    assert.equal(cause.detail, 'a listener on AbortSignal (`signal`) is added on every call and never removed')
    assert.equal(cause.holder.event, null)
    assert.match(cause.hint, /removeEventListener\(\)/)
    assert.match(cause.hint, /\{ once: true \} removes it only if the event ever fires/)
  })

  it('takes the function property nearest the objects, not Module._cache above every module', () => {
    const viaModuleCache = [
      step('', '', '(GC roots)', 'synthetic'),
      step('1', 'internal', 'Module()', 'closure'),
      step('_cache', 'property', 'Object'),
      step('/app/things.js', 'property', 'Module'),
      step('exports', 'property', 'Object'),
      step('createThing', 'property', 'createThing()', 'closure'),
      step('instances', 'property', 'Array', 'array'),
      step('3', 'element', 'Thing'),
    ]
    const cause = diagnose(group('object', viaModuleCache))
    assert.equal(cause.pattern, 'class-static')
    assert.equal(cause.title, 'Property of a long-lived function')
    assert.equal(cause.detail, 'createThing.instances lives as long as the function, and grows on every call')
    // A module variable nearer the objects than Module._cache: not a static.
    const variable = [...viaModuleCache.slice(0, 5), step('action', 'property', 'action()', 'closure'), step('context', 'internal', 'system / Context', 'hidden'), step('kept', 'context', 'Array', 'array'), step('3', 'element', 'Thing')]
    assert.notEqual(diagnose(group('object', variable)).pattern, 'class-static')
  })

  it('says unknown rather than guess', () => {
    for (const path of [
      [step('', '', '(GC roots)', 'synthetic'), step('1', 'internal', '(Handle scope)', 'synthetic'), step('2', 'internal', 'Thing')],
      [],
      [step('', '', 'global'), step('a', 'property', 'Object'), step('b', 'property', 'Object'), step('c', 'property', 'Object'), step('d', 'property', 'Thing')],
    ]) {
      const cause = diagnose(group('object', path))
      assert.equal(cause.pattern, 'unknown', JSON.stringify(path.map((s) => s.edge)))
      assert.equal(cause.hint, null)
    }
  })

  it('does not call a module function’s scope a closure capture', () => {
    const cause = diagnose(group('object', [...root, step('action', 'property', 'action()', 'closure'), step('context', 'internal', 'system / Context', 'hidden'), step('config', 'context', 'Object'), step('current', 'property', 'Settings')]))
    assert.equal(cause.pattern, 'module-variable')
  })
})

describe('diagnose() picks the holder nearest the objects', () => {
  it('blames a module array, not the HTTP server listener above it', () => {
    // The demo's path: the server's 'request' handler is on the shortest path to the array.
    const path = [
      step('', '', 'Node / TCPServerWrap', 'native'),
      step('native_to_javascript', 'internal', 'TCP'),
      step('<symbol owner_symbol>', 'property', 'Server'),
      step('_events', 'property', 'Object'),
      step('request', 'property', '(anonymous function)', 'closure'),
      step('context', 'internal', 'system / Context', 'hidden'),
      step('auditLedger', 'context', 'Array', 'object'),
      step('3', 'element', 'OrderLedgerEntry'),
    ]
    const cause = diagnose(group('object', path))
    assert.equal(cause.pattern, 'collection-cache')
    assert.match(cause.detail, /`auditLedger`/)
  })
})
