'use strict'
// "This object must be collected": track an object weakly, force GCs until it is gone, and
// when it is not, say what holds it (one snapshot, the object's retainer path).
const { AssertionError } = require('node:assert')
const { gc } = require('./gc.js')
const { invalidArg, outOfRange, checkOptions, codedError } = require('./errors.js')

// label -> Tracked, and object -> Tracked. Entries hold their object only through a WeakRef.
const tracked = new Map()
const byObject = new WeakMap()
let counter = 0

// Each entry hangs its WeakRef under a property key made only for it, so that a snapshot can
// find the object (key -> WeakRef -> weak `target` edge) without a strong reference from us.
class Tracked {
  constructor(label, object) {
    this.label = label
    this.key = `leakhunt:tracked:${++counter}`
    this.holder = { [this.key]: new WeakRef(object) }
    this.finalized = false
  }

  /**
   * Whether the object is gone. Beware: a `deref()` that finds the object keeps it alive until
   * the current job ends, so callers must let a turn of the event loop pass before the next GC.
   */
  gone() {
    return this.finalized || this.holder[this.key].deref() === undefined
  }
}

const registry = new FinalizationRegistry((entry) => {
  entry.finalized = true
})

function isTrackable(value) {
  return (typeof value === 'object' && value !== null) || typeof value === 'function'
}

/**
 * Tracks `object` weakly under `label` (default: a generated one) and returns the object, so
 * `const ctx = track(createContext(), 'request context')` reads naturally.
 * @template T
 * @param {T} object
 * @param {string} [label]
 * @returns {T}
 */
function track(object, label) {
  if (!isTrackable(object)) throw invalidArg('object', 'an object or a function', object)
  if (label !== undefined && (typeof label !== 'string' || label === '')) throw invalidArg('label', 'a non-empty string', label)
  const name = label === undefined ? `tracked object ${counter + 1}` : label
  const entry = new Tracked(name, object)
  registry.register(object, entry)
  tracked.set(name, entry)
  byObject.set(object, entry)
  return object
}

function entryFor(objectOrLabel) {
  if (typeof objectOrLabel === 'string') {
    const entry = tracked.get(objectOrLabel)
    if (!entry) {
      throw codedError('ERR_LEAKHUNT_NOT_TRACKED', `nothing is tracked under the label ${JSON.stringify(objectOrLabel)}; call track(object, label) first`)
    }
    return entry
  }
  if (!isTrackable(objectOrLabel)) throw invalidArg('objectOrLabel', 'a tracked object or its label', objectOrLabel)
  const known = byObject.get(objectOrLabel)
  if (known) return known
  // Not tracked yet: track it now (the caller must not hold it, or it cannot be collected).
  track(objectOrLabel)
  return byObject.get(objectOrLabel)
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

function checkTimeout(options) {
  const { timeoutMs } = checkOptions(options, { timeoutMs: 2000 }, 'collected')
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs)) throw invalidArg('options.timeoutMs', 'a number', timeoutMs)
  if (timeoutMs < 0) throw outOfRange('options.timeoutMs', '>= 0', timeoutMs)
  return timeoutMs
}

/**
 * Forces GCs, each in a fresh turn of the event loop (creating or dereferencing a WeakRef
 * keeps its target alive until the current job ends), and looks in the turn after (where
 * FinalizationRegistry callbacks have had their chance), until the object is gone or the time
 * is up. At least three rounds run whatever the timeout.
 */
async function waitForCollection(entry, timeoutMs) {
  const deadline = performance.now() + timeoutMs
  for (let round = 0; ; round++) {
    await tick()
    await gc()
    await tick()
    if (entry.gone()) return true
    if (round >= 2 && performance.now() >= deadline) return false
  }
}

/**
 * Resolves to true once the tracked object has been garbage collected, false if it is still
 * alive after `timeoutMs` (default 2000) of forced GCs.
 * @param {string | object} objectOrLabel
 * @param {{ timeoutMs?: number }} [options]
 */
async function collected(objectOrLabel, options) {
  const timeoutMs = checkTimeout(options)
  let entry = entryFor(objectOrLabel)
  objectOrLabel = undefined // never hold the object ourselves while waiting
  const gone = await waitForCollection(entry, timeoutMs)
  if (gone) tracked.delete(entry.label)
  entry = undefined
  return gone
}

/**
 * Resolves when the tracked object is collected; otherwise rejects with an AssertionError
 * (code ERR_LEAKHUNT_NOT_COLLECTED) that names what holds it: one heap snapshot is taken and
 * the object's retainer path is in the message and in `err.retainers`.
 * @param {string | object} objectOrLabel  the label given to track(), or the object itself
 * @param {{ timeoutMs?: number }} [options]
 */
async function expectCollected(objectOrLabel, options) {
  const timeoutMs = checkTimeout(options)
  const entry = entryFor(objectOrLabel)
  objectOrLabel = undefined
  if (await waitForCollection(entry, timeoutMs)) {
    tracked.delete(entry.label)
    return
  }
  await tick() // out of the job whose deref() kept the object, so the path shows the real holder
  const found = await whatHolds(entry)
  const err = new AssertionError({ message: notCollectedMessage(entry.label, found), operator: 'fail', stackStartFn: expectCollected })
  err.code = 'ERR_LEAKHUNT_NOT_COLLECTED'
  err.label = entry.label
  err.retainers = found
  throw err
}

/** One snapshot, then the path from the GC roots to the tracked object. */
async function whatHolds(entry) {
  const { takeSnapshot } = require('./snapshot.js')
  require('./heap-snapshot.js') // locate() with its errors translated
  const snapshot = await takeSnapshot()
  return snapshot.locate([entry.key, 'target'])
}

function notCollectedMessage(label, found) {
  const head = `leakhunt: "${label}" was not garbage collected`
  if (!found) return `${head} (the heap snapshot taken to explain why did not contain it)`
  const lines = [`${head}: ${found.name} @${found.id}, ${found.selfSize} B self, ${found.retainedSize} B retained`]
  if (found.retainerPath.length === 0) {
    lines.push('  nothing reaches it from the GC roots: it is held only weakly or by V8 and should go with the next GCs')
  } else {
    lines.push('  retained by:')
    const { formatPath } = require('./format.js')
    lines.push(...formatPath(found.retainerPath, '    '))
  }
  return lines.join('\n')
}

/** Forgets every tracked object (for test suites that track per test). */
function untrackAll() {
  tracked.clear()
}

module.exports = { track, collected, expectCollected, untrackAll }
