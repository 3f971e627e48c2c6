'use strict'
// The leak hunt: warm up, three snapshots around N calls of the suspect code, a second round
// to tell growth from one-time allocation, and the report. Everything the hunt itself keeps
// between snapshots lives in native memory (HuntSession) or was allocated before the baseline,
// so the hunt does not show up in what it measures.
const fs = require('node:fs')
const path = require('node:path')
const binding = require('./binding.js')
const { callNative, invalidArg, outOfRange, checkOptions: checkKnown, codedError, abortError } = require('./errors.js')
const { fullGc, InspectorGc, cacheLineEnds } = require('./gc.js')
const { streamHeapSnapshot, intoPrivateFile, warmUpStreams } = require('./snapshot.js')
const { judge, SECOND_ROUND_FACTOR } = require('./verdict.js')
const { withCauses } = require('./diagnose.js')
const { checkLocalSnapshotRoom } = require('./room.js')
const { redact } = require('./redact.js')
const { mapReport } = require('./source-maps.js')

/** The report's layout; `index.d.ts` documents it. 2: one entry per growth point. */
const SCHEMA_VERSION = 2

const DEFAULTS = { iterations: 20, warmup: 3, settleMs: 100, confirm: true, includeInternals: false, trackAllocations: false, redact: false, sourceMaps: true }
// Options with no default value, known all the same (anything else is refused by name).
const UNSET = { signal: undefined, onProgress: undefined, leakFilter: undefined, keepSnapshots: undefined, ignore: undefined, ignoreHeldBy: undefined }

// 'middle': halfway through round two, taken only to measure values that may grow in bytes.
const SNAPSHOTS = ['baseline', 'target', 'final', 'confirm', 'middle']
const PHASES = ['warmup', 'track', 'walk:baseline', 'snapshot:baseline', 'iterations', 'walk:target', 'snapshot:target', 'settle', 'snapshot:final', 'analysis', 'confirm', 'snapshot:middle', 'snapshot:confirm']

/**
 * Heap used over the hunt (the picture of the method: the heap climbing with the calls, the
 * snapshots, the settle), in typed arrays allocated before the baseline so that recording
 * allocates nothing that outlives a call. When full, every other point is dropped and the
 * stride doubles, so any number of calls fits.
 */
class Timeline {
  constructor(start, capacity = 2048) {
    this.start = start
    this.t = new Float64Array(capacity)
    this.heap = new Float64Array(capacity)
    this.length = 0
    this.stride = 1
    this.skipped = 0
    this.marks = new Float64Array(SNAPSHOTS.length).fill(-1)
  }

  record(heapUsed, force = false) {
    if (!force && ++this.skipped < this.stride) return
    this.skipped = 0
    if (this.length === this.t.length) {
      for (let i = 0; i < this.length / 2; i++) {
        this.t[i] = this.t[2 * i]
        this.heap[i] = this.heap[2 * i]
      }
      this.length /= 2
      this.stride *= 2
    }
    this.t[this.length] = performance.now() - this.start
    this.heap[this.length] = heapUsed
    this.length++
  }

  mark(k, heapUsed) {
    this.record(heapUsed, true)
    this.marks[k] = this.t[this.length - 1]
  }

  toJSON(taken) {
    return {
      t: Array.from(this.t.subarray(0, this.length)),
      heapUsed: Array.from(this.heap.subarray(0, this.length)),
      snapshotAt: Object.fromEntries(SNAPSHOTS.slice(0, taken).map((name, k) => [name, this.marks[k]])),
    }
  }
}

// Ticks a warm-up call's promise gets to settle in before it counts as waiting on the loop.
const TICK_HOPS = 64
// A call pending this long while V8 tracks heap objects ends the tracking (LocalHeap.awaitCall).
const STUCK_MS = 5000
const STUCK = Symbol('stuck')

// One hunt at a time per thread (each worker has its own heap): two hunts would each see the
// other's objects as leaks.
let running = false

function checkOptions(options) {
  const o = checkKnown(options, { ...DEFAULTS, ...UNSET }, 'hunt')
  const count = (name, min) => {
    if (!Number.isInteger(o[name])) throw invalidArg(`options.${name}`, 'an integer', o[name])
    if (o[name] < min) throw outOfRange(`options.${name}`, `>= ${min}`, o[name])
  }
  count('iterations', 1)
  count('warmup', 0)
  if (typeof o.settleMs !== 'number' || Number.isNaN(o.settleMs)) throw invalidArg('options.settleMs', 'a number', o.settleMs)
  if (!(o.settleMs >= 0 && o.settleMs < Infinity)) throw outOfRange('options.settleMs', '>= 0 and finite', o.settleMs)
  if (o.signal !== undefined && !(o.signal && typeof o.signal.aborted === 'boolean')) {
    throw invalidArg('options.signal', 'an AbortSignal', o.signal)
  }
  for (const name of ['onProgress', 'leakFilter']) {
    if (o[name] !== undefined && typeof o[name] !== 'function') throw invalidArg(`options.${name}`, 'a function', o[name])
  }
  for (const name of ['confirm', 'includeInternals', 'trackAllocations', 'redact', 'sourceMaps']) {
    if (typeof o[name] !== 'boolean') throw invalidArg(`options.${name}`, 'a boolean', o[name])
  }
  if (o.keepSnapshots !== undefined && typeof o.keepSnapshots !== 'string') {
    throw invalidArg('options.keepSnapshots', 'a directory path', o.keepSnapshots)
  }
  for (const name of ['ignore', 'ignoreHeldBy']) {
    if (o[name] !== undefined && !(Array.isArray(o[name]) && o[name].every((p) => typeof p === 'string'))) {
      throw invalidArg(`options.${name}`, 'an array of strings', o[name])
    }
  }
  return o
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) return reject(abortError(signal))
    const onAbort = () => {
      clearTimeout(timer)
      reject(abortError(signal))
    }
    const timer = setTimeout(() => {
      if (signal) signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    if (signal) signal.addEventListener('abort', onAbort, { once: true })
  })
}

// The hunt's own functions sit below `fn` on every allocation stack; they say nothing.
const OWN_DIR = __dirname + path.sep

function withoutOwnFrames(groups) {
  for (const group of groups) {
    if (!group.allocationStacks || group.allocationStacks.length === 0) continue
    const merged = new Map()
    for (const stack of group.allocationStacks) {
      const own = stack.frames.findIndex((f) => f.scriptName && f.scriptName.startsWith(OWN_DIR))
      const frames = own === -1 ? stack.frames : stack.frames.slice(0, own)
      if (frames.length === 0) continue
      const key = JSON.stringify(frames)
      const same = merged.get(key)
      if (same) same.count += stack.count
      else merged.set(key, { count: stack.count, frames })
    }
    group.allocationStacks = [...merged.values()].sort((a, b) => b.count - a.count)
  }
}

/**
 * Hunts for leaks in `fn` (see docs/hunting.md, "How the verdict is reached").
 * @returns {Promise<import('../index').HuntReport>}
 */
async function hunt(fn, options) {
  if (typeof fn !== 'function') throw invalidArg('fn', 'a function', fn)
  const o = checkOptions(options)
  if (running) {
    throw codedError('ERR_LEAKHUNT_BUSY', 'another hunt is running in this thread; await it first (two hunts would see each other’s objects as leaks)')
  }
  running = true
  const heap = new LocalHeap()
  const session = new binding.HuntSession()
  const where = { phase: 'warmup', iteration: 0, of: o.warmup }
  try {
    return await rejectOnEmptyLoop(new HuntRun(fn, o, heap, session, where).run(), where)
  } finally {
    session.clear()
    heap.close()
    running = false
  }
}

/**
 * The heap of this thread, the one a hunt runs in: snapshots streamed from V8 in-process, GC
 * and V8's id checks through one inspector session held for the whole hunt (closing a session
 * renumbers heap objects). Another heap source (a remote inspector: lib/attach.js) offers the
 * same methods.
 */
class LocalHeap {
  constructor() {
    this.inspectorGc = new InspectorGc()
    // [0]: the global object's snapshot id after the baseline; 0 when it cannot be read.
    this.globalId = new Float64Array(1)
    // What only the hunt's own frames hold (stack roots, handle scopes) is the hunt's.
    this.ownStack = true
    // Whether a walk was made, and V8 tracks heap objects until a snapshot or close() ends it.
    this.walked = false
    // Its walks can stand for the baseline too: Node's native nodes are renumbered in every
    // snapshot, so no baseline ever made one of them a holder (ARCHITECTURE.md).
    this.walksBaseline = true
    // V8 12 (Node 22) spaces the tracking timer's walks three walks apart; V8 11 (Node 18, 20)
    // walks every 50 ms, back to back on a heap that takes longer: whenever the event loop is
    // idle, as it is through every await of asynchronous calls (measured on 18.16, 20.0, 20.15,
    // 20.20: a walk every ~150 ms on a 50 MB heap; 22.0, 22.23, 24.22: every ~470 ms).
    this.walksSpacedOut = Number(process.versions.v8.split('.')[0]) >= 12
    // The memory check's count of objects and the heap then (lib/room.js).
    this.roomMemo = new Float64Array(2)
  }

  /** Heap used at the last session snapshot's capture, read once; else heap used now. */
  heapUsed() {
    const captured = this.inspectorGc.heapUsedAtCapture[0]
    this.inspectorGc.heapUsedAtCapture[0] = 0
    return captured || process.memoryUsage().heapUsed
  }

  collectGarbage() {
    return fullGc(this.inspectorGc)
  }

  startTrackingAllocations() {
    return this.inspectorGc.startTrackingAllocations()
  }

  /** An object-id watermark (InspectorGc.heapWalk) for snapshot k; null without an inspector. */
  async heapWalk(name, k) {
    if (k > 0) this.checkIds(name, 'walk')
    const walk = await this.inspectorGc.heapWalk()
    this.walked = walk !== null
    if (k === 0 && walk !== null) this.globalId[0] = this.inspectorGc.globalObjectId()
    if (k === 0 && walk !== null && walk.objectCount > 0) {
      this.roomMemo[0] = walk.objectCount
      this.roomMemo[1] = process.memoryUsage().heapUsed
    }
    return walk
  }

  /**
   * Awaits what a call returned. While V8 tracks heap objects for walks, its timer keeps the
   * event loop alive, so a promise that never settles would hang the hunt where it must fail
   * (ERR_LEAKHUNT_UNFINISHED once the loop empties): a call still pending after STUCK_MS ends
   * the tracking, with a snapshot nobody reads (V8 stops tracking only that way; the ids stay),
   * and the next walk starts it again. A slow call costs that snapshot once; a stuck one fails.
   */
  async awaitCall(pending) {
    const gc = this.inspectorGc
    if (!this.walked || gc.tracksAllocations) return pending
    // Ref'd, as V8's timer keeps the loop alive anyway: Node drops the list of an unref'd
    // timer's duration only when it expires, and that list would outlive the calls (a
    // "TimersList" one-time growth and a needless round two, measured on Node 22 and 24).
    let timer
    const stuck = new Promise((resolve) => {
      timer = setTimeout(resolve, STUCK_MS, STUCK)
    })
    try {
      if ((await Promise.race([pending, stuck])) !== STUCK) return
    } finally {
      clearTimeout(timer)
    }
    this.walked = false
    await gc.stopTrackingInto(() => {}, null)
    gc.heapUsedAtCapture[0] = 0
    await pending
  }

  /** V8's inspector's description of each object (by snapshot id; 0 for none), else null. */
  descriptionsOf(ids) {
    return this.inspectorGc.descriptionsOf(ids)
  }

  /** Whether the heap shows a value's size only roughly: see sizeNeedsLength. */
  sizeNeedsLength(size) {
    return sizeNeedsLength(size, [Buffer.poolSize])
  }

  /**
   * Before the baseline: the id probe runs once, so what it compiles and caches is old by then;
   * and on V8 before 12, each script's line ends, without which a snapshot scans sources.
   */
  async prepare() {
    this.inspectorGc.globalObjectId()
    if (this.inspectorGc.session) await cacheLineEnds((method) => this.inspectorGc.post(method, {}))
  }

  /**
   * Streams snapshot `name` into the hunt's native session. Nothing of ours runs between the
   * checks and V8's snapshot (no await before it): see InspectorGc.globalObjectId().
   */
  async snapshot(name, k, { session, mode, write, file, beforeWalk, endWalks }) {
    if (k > 0) this.checkIds(name, 'snapshot')
    // Do no harm to the process the hunt runs in: a snapshot costs ~1.5 KB per object. The
    // objects are counted only before anything compares ids (a count forgets them).
    await checkLocalSnapshotRoom(name, {
      instead: 'Hunt it where memory allows (a test process with less in its heap, a machine with more), or see what grows without a snapshot: monitor({ profile: true }) or leakhunt attach --profile <ms>.',
      mayCount: k === 0 && !this.walked && !this.inspectorGc.tracking,
      memo: this.roomMemo,
    })
    this.inspectorGc.discardConsoleEntries()
    // No GC of our own here: V8 collects all available garbage before it walks the heap
    // (HeapSnapshotGenerator::GenerateSnapshot), so heap used is read after the snapshot.
    callNative(() => session.beginSnapshot(name, mode))
    // After a target walk, V8 tracks heap objects until a snapshot ends it: this one, so that
    // its timer walks no more in round two. Before a walk, the baseline goes through the
    // session too: what v8.getHeapSnapshot() leaves (its stream, a buffer on a global handle,
    // on Node 24 and 26) lives on until the next such stream, and would be new at the walk.
    const gc = this.inspectorGc
    const stop = endWalks && this.walked
    if (stop) this.walked = false
    const bytes =
      stop || (beforeWalk && gc.session)
        ? await intoPrivateFile(file, (fd) => (stop ? gc.stopTrackingInto(write, fd) : gc.snapshotInto(write, fd)))
        : await streamHeapSnapshot(write, file)
    if (k === 0) this.globalId[0] = gc.globalObjectId()
    return bytes
  }

  /**
   * Compared by id with the baseline, a snapshot or a walk after V8 forgot its ids would hide
   * the leak (V8 numbers from 1 again).
   */
  checkIds(name, what) {
    if (this.globalId[0] !== 0 && this.inspectorGc.globalObjectId() !== this.globalId[0]) throw idsReset(name, what)
  }

  /** Where source maps are looked for: Node's cache, and the code V8 ran through the session. */
  sourceMapSources() {
    return { inspector: this.inspectorGc.session, nodeCache: true }
  }

  close() {
    this.inspectorGc.close()
  }
}

function idsReset(name, what) {
  return codedError(
    'ERR_LEAKHUNT_IDS_RESET',
    `V8's heap object ids were reset before the ${name} ${what}, so it cannot be compared with the baseline: an inspector session (a debugger, a profiler, another tool) was closed during the hunt. Hunt again without one.`,
  )
}

/**
 * Rejects when the event loop empties while the hunt is pending: nothing is left that could
 * settle it, and Node would exit 0 with the hunt unfinished (a test suite "passing" without
 * having checked anything).
 */
function rejectOnEmptyLoop(work, where) {
  let onBeforeExit
  const abandoned = new Promise((resolve, reject) => {
    onBeforeExit = () => {
      const at = where.of ? `${where.phase} (call ${where.iteration} of ${where.of})` : where.phase
      reject(
        codedError(
          'ERR_LEAKHUNT_UNFINISHED',
          `the hunt cannot finish: Node's event loop emptied while it was in ${at}, so nothing can settle what it waits for (most often a promise returned by the hunted function that never settles)`,
        ),
      )
    }
    process.once('beforeExit', onBeforeExit)
  })
  return Promise.race([work, abandoned]).finally(() => process.removeListener('beforeExit', onBeforeExit))
}

/**
 * One hunt, read top to bottom in `run()`: warm up, round one (baseline, calls, target, settle,
 * final, analysis), round two when round one found something, then the report. What the hunt
 * records between snapshots lives in typed arrays allocated here, before the baseline.
 */
class HuntRun {
  constructor(fn, o, heap, session, where) {
    Object.assign(this, { fn, o, heap, session, where })
    // Numbers kept in typed arrays allocated up front: no heap numbers appear mid-hunt.
    this.phaseMs = new Float64Array(PHASES.length)
    this.heapUsed = new Float64Array(SNAPSHOTS.length)
    this.nodeCount = new Float64Array(SNAPSHOTS.length)
    this.snapshotBytes = new Float64Array(SNAPSHOTS.length)
    this.clock = performance.now()
    this.timeline = new Timeline(this.clock)
    if (o.keepSnapshots) fs.mkdirSync(o.keepSnapshots, { recursive: true, mode: 0o700 })
    // Unique per hunt, so hunts into one directory never collide (files are created 0600, never overwritten).
    const stamp = `leakhunt-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`
    this.keptFiles = SNAPSHOTS.map((name) => (o.keepSnapshots ? path.join(o.keepSnapshots, `${stamp}-${name}.heapsnapshot`) : undefined))
    this.analyzeOptions = { includeInternals: o.includeInternals, ignore: o.ignore, iterations: o.iterations, ownStack: heap.ownStack }
    this.secondRoundCalls = SECOND_ROUND_FACTOR * o.iterations
    // Round two is judged by counts per growth point; its retained sizes would go unused.
    this.secondRoundOptions = { ...this.analyzeOptions, iterations: this.secondRoundCalls, maxSamples: 1, countsOnly: true }
    this.write = (chunk) => callNative(() => session.write(chunk))
    // Set by round one; declared here so that no property is added to this object mid-hunt.
    this.halfOfCalls = Math.max(1, Math.floor(o.iterations / 2))
    this.listenersGrew = 0
    // Values that may grow in bytes (diff::growing_values): how many, and each one's bytes at
    // the first final, halfway through round two and at its end (NaN where it is gone).
    this.growingValues = 0
    this.valueBytes = new Float64Array(MAX_GROWING_VALUES * 3).fill(NaN)
    // Which values are measured by their length (see measureValues), chosen at the first.
    this.byLength = new Uint8Array(MAX_GROWING_VALUES)
    // Whether a call returned a promise, and whether the calls wait on the event loop (a timer,
    // I/O; what the warm-up saw, assumed without one): then the loop turns during the calls,
    // and V8's tracking timer walks the heap at every turn once it is due.
    this.asyncCalls = false
    this.loopTurns = o.warmup === 0
    this.method = 'snapshots'
  }

  /**
   * How the baseline and the target are taken, once the warm-up has shown whether the calls
   * are asynchronous. 'watermarks': both are heap walks and the only snapshots are the finals
   * (ARCHITECTURE.md has why that is the three-snapshot diff); the first final's census tells
   * which listener lists round two must count. V8 then tracks objects through the calls, and
   * its timer walks whenever the event loop turns: fine for synchronous calls and for
   * asynchronous ones that settle without a turn (microtasks, ticks), and for the others
   * where V8 spaces the walks out. 'walked target': a baseline snapshot (its
   * census; a page's native nodes, which only a snapshot numbers) and a walk for the target:
   * without a second round (`confirm: false`) no second census could tell listener growth.
   * 'snapshots': three, for a user who keeps the files, or without an inspector; and with
   * the allocation tracker, whose stacks the target snapshot is the one to keep: V8 moves an
   * object's stack with it only until a snapshot or walk has numbered it, so a walked target
   * left the final's stacks to chance (every object of the calls untraced in about one hunt
   * in three, when the final's GC compacted their page; src/snapshot AllocationSites).
   */
  chooseMethod() {
    const { o, heap } = this
    if (o.keepSnapshots || o.trackAllocations || typeof heap.heapWalk !== 'function') return 'snapshots'
    const walks = heap.walksBaseline && (!this.loopTurns || heap.walksSpacedOut)
    return o.confirm && walks ? 'watermarks' : 'walked target'
  }

  async run() {
    await this.warmUp()
    this.method = this.chooseMethod()
    const found = await this.roundOne()
    const confirmed = this.o.confirm && found
    if (confirmed) await this.roundTwo()
    return this.report(confirmed)
  }

  async warmUp() {
    await warmUpStreams()
    await this.callTimes('warmup', this.o.warmup)
    if (this.o.trackAllocations) {
      // Tracking stops when the hunt's session closes (hunt's finally), whatever happened.
      this.progress('track')
      await this.heap.startTrackingAllocations()
      this.lap('track')
    }
    await this.heap.prepare()
  }

  /** Baseline, the calls, target, settle, final, analysis: whether anything grew. */
  async roundOne() {
    await this.baseline()
    await this.callTimes('iterations', this.o.iterations)
    const walked = await this.target()
    await this.settle(walked)
    await this.snapshot(2, 'full')
    this.progress('analysis')
    const points = await callNative(() => this.session.analyze('first', 'baseline', 'target', 'final', this.analyzeOptions))
    // Values replaced since the baseline, which may grow in bytes: measured in round two.
    const values = this.o.confirm ? callNative(() => this.session.growingValueCount('first')) : 0
    // Listeners can pile up without new objects (one function added again and again). Counted
    // against a baseline snapshot's census; after a walk, the lists that may have grown go to
    // round two, whose census of the two finals counts them.
    const session = this.session
    this.listenersGrew =
      this.method === 'watermarks'
        ? callNative(() => session.listenersThatMayHaveGrown('baseline', 'final', this.halfOfCalls))
        : callNative(() => session.listenerGrowthCount('baseline', 'final', this.halfOfCalls))
    const found = points > 0 || this.listenersGrew > 0 || values > 0
    this.growingValues = Math.min(MAX_GROWING_VALUES, values)
    if (this.growingValues > 0) await this.measureValues(0, 'final')
    this.lap('analysis')
    return found
  }

  /**
   * The bytes of each value that may grow, as snapshot `name` holds them (at = 0, 1, 2: the
   * first final, the middle of round two, its end). Where the heap does not tell the size (a
   * Buffer that is a slice of Node's shared pool, an Array's store with room to spare), the
   * object's length does, read through the heap source's inspector: V8 finds an object by id
   * only by walking the heap, so a few values at most are measured so, chosen at the first.
   */
  async measureValues(at, name) {
    const sizes = await callNative(() => this.session.measureValues('first', name))
    if (at === 0) {
      let chosen = 0
      for (let i = 0; i < this.growingValues; i++) {
        this.byLength[i] = chosen < MAX_LENGTH_LOOKUPS && sizes[i] && this.heap.sizeNeedsLength(sizes[i]) ? 1 : 0
        chosen += this.byLength[i]
      }
    }
    const descriptions = await this.heap.descriptionsOf(sizes.map((size, i) => (size && this.byLength[i] ? size.id : 0)))
    for (let i = 0; i < this.growingValues; i++) {
      const size = sizes[i]
      this.valueBytes[i * 3 + at] = size ? exactBytes(size, descriptions[i]) : NaN
    }
  }

  /** A walk's watermark; else a snapshot parsed in full for its listener census, kept as ids. */
  async baseline() {
    if (this.method === 'watermarks') {
      if (await this.walk(0)) return
      this.method = 'snapshots' // no inspector: no walks either
    }
    await this.snapshot(0, 'census')
  }

  /**
   * Twice the calls, settle, a confirm snapshot, and round two's growth points. Values that may
   * grow in bytes are measured halfway too: growth in step with the calls, not a value that
   * reached its cap, is the same over both halves.
   */
  async roundTwo() {
    const half = this.growingValues > 0 ? this.o.iterations : 0
    if (half > 0) {
      await this.callTimes('confirm', half)
      await this.settle()
      await this.snapshot(4, 'full')
      await this.measureValues(1, 'middle')
    }
    await this.callTimes('confirm', this.secondRoundCalls - half)
    await this.settle()
    await this.snapshot(3, 'full')
    this.progress('analysis')
    // Holders older than the first baseline: round two finds round one's growth points again.
    await callNative(() => this.session.analyze('grown', 'final', 'confirm', 'confirm', this.secondRoundOptions, 'baseline'))
    if (half > 0) await this.measureValues(2, 'confirm')
    this.lap('analysis')
  }

  /** All snapshots are taken: only now do reports become JS objects. */
  async report(confirmed) {
    const { o, session } = this
    const taken = confirmed ? 4 : 3
    for (let k = 0; k < taken; k++) this.nodeCount[k] = session.nodeCount(SNAPSHOTS[k])
    const first = session.report('first')
    const persisted = confirmed ? callNative(() => session.stillAlive('first', 'confirm')) : null
    const grown = confirmed ? session.report('grown') : null
    if (o.trackAllocations) withoutOwnFrames(first.leaks)
    const values = confirmed && this.growingValues > 0 ? { growing: session.growingValues('first'), bytes: this.valueBytes, callsPerHalf: this.o.iterations } : null
    const { leaks, retained } = judge(first, persisted, grown, { leakFilter: o.leakFilter, ignoreHeldBy: o.ignoreHeldBy, values })
    const perSnapshot = (values) => Object.fromEntries(SNAPSHOTS.slice(0, taken).map((name, k) => [name, values[k]]))
    // Causes are read before redaction: they name variables and events, never string contents.
    const report = withCauses({
      schemaVersion: SCHEMA_VERSION,
      leaks,
      retained,
      listenerGrowth: this.listenerGrowth(confirmed),
      summary: {
        ...first.summary,
        iterations: o.iterations,
        warmup: o.warmup,
        settleMs: o.settleMs,
        confirmed,
        trackAllocations: o.trackAllocations,
        heapUsed: perSnapshot(this.heapUsed),
        nodeCount: perSnapshot(this.nodeCount),
        snapshotBytes: perSnapshot(this.snapshotBytes),
        phasesMs: Object.fromEntries(PHASES.map((p, k) => [p, this.phaseMs[k]]).filter(([, ms]) => ms > 0)),
        snapshotFiles: o.keepSnapshots ? this.keptFiles.slice(0, taken) : [],
        timeline: this.timeline.toJSON(taken),
      },
    })
    // The user's own source positions, read through the hunt's session (the code V8 ran).
    if (o.sourceMaps) {
      const start = performance.now()
      await mapReport(report, this.heap.sourceMapSources())
      report.summary.phasesMs.sourceMaps = performance.now() - start
    }
    return o.redact ? redact(report) : report
  }

  /** Listeners that grew by half the calls or more in round one and, when it ran, in round two. */
  listenerGrowth(confirmed) {
    if (!(this.listenersGrew > 0)) return []
    const session = this.session
    const again = () => callNative(() => session.listenerGrowth('final', 'confirm', Math.max(1, Math.floor(this.secondRoundCalls / 2))))
    let grown
    if (this.method === 'watermarks') {
      // A baseline walk counts no listeners: round two's census is the only count (it ran).
      grown = again()
    } else {
      const first = callNative(() => session.listenerGrowth('baseline', 'final', this.halfOfCalls))
      grown = confirmed && first.length > 0 ? again().filter((g) => first.some((f) => f.emitterId === g.emitterId && f.event === g.event)) : first
    }
    const calls = confirmed ? this.secondRoundCalls : this.o.iterations
    for (const g of grown) g.perCall = (g.after - g.before) / calls
    return grown
  }

  lap(phase) {
    const now = performance.now()
    this.phaseMs[PHASES.indexOf(phase)] += now - this.clock
    this.clock = now
  }

  progress(phase, iteration, of) {
    const where = this.where
    where.phase = phase
    where.iteration = iteration || 0
    where.of = of || 0
    if (this.o.onProgress) this.o.onProgress(iteration === undefined ? { phase } : { phase, iteration, of })
  }

  checkAbort() {
    const { signal } = this.o
    if (signal && signal.aborted) throw abortError(signal)
  }

  async callTimes(phase, times) {
    const fn = this.fn
    for (let i = 0; i < times; i++) {
      this.checkAbort()
      this.progress(phase, i + 1, times)
      this.timeline.record(this.heap.heapUsed())
      try {
        // A sync fn is not awaited: no promise per call of ours in the heap being measured.
        const result = fn(i)
        if (result && typeof result.then === 'function') {
          this.asyncCalls = true
          await (phase === 'warmup' ? this.awaitWarmUpCall(result) : this.heap.awaitCall(result))
        }
      } catch (err) {
        throw codedError('ERR_LEAKHUNT_FN_THREW', `the hunted function threw in ${phase} call ${i + 1} of ${times}: ${err && err.message}`, {
          cause: err,
        })
      }
    }
    this.lap(phase)
  }

  /**
   * Awaits a warm-up call, noting whether it waited on the event loop. While ticks keep being
   * queued, Node runs them and the microtasks and the loop does not turn: a promise still
   * pending after TICK_HOPS of them waits for a timer or I/O, and V8's tracking timer walks at
   * the loop's timers phase while such calls are awaited. One settled before never lets the
   * loop turn, as a synchronous call.
   */
  async awaitWarmUpCall(result) {
    const call = Promise.resolve(result)
    let settled = false
    const done = () => {
      settled = true
    }
    call.then(done, done)
    for (let hop = 0; hop < TICK_HOPS && !settled; hop++) await nextTick()
    if (!settled) this.loopTurns = true
    await call
  }

  /**
   * The target: which objects are alive after the calls. A heap walk's object-id watermark
   * tells it for a tenth of a snapshot; a snapshot of ids when the heap source has no walk, or
   * when the user keeps the snapshot files (three of them make an offline analysis). Whether
   * the target was a walk.
   */
  async target() {
    if (this.method !== 'snapshots' && (await this.walk(1))) return true
    await this.snapshot(1, 'ids')
    return false
  }

  /** Snapshot k as a heap walk's watermark; false when the heap source cannot walk. */
  async walk(k) {
    const name = SNAPSHOTS[k]
    this.checkAbort()
    this.progress(`walk:${name}`)
    const walk = await this.heap.heapWalk(name, k)
    if (walk === null) return false
    const { lastSeenObjectId, objectCount, totalSize } = walk
    callNative(() => this.session.watermark(name, lastSeenObjectId, objectCount, totalSize))
    this.heapUsed[k] = this.heap.heapUsed()
    this.timeline.mark(k, this.heapUsed[k])
    this.lap(`walk:${name}`)
    return true
  }

  async snapshot(k, mode) {
    const name = SNAPSHOTS[k]
    this.checkAbort()
    this.progress(`snapshot:${name}`)
    const walkedTarget = this.method === 'walked target'
    // The walks end with the first final, unless round two's calls never let the loop turn.
    const endWalks = k === 2 && (walkedTarget || (this.asyncCalls && this.loopTurns))
    // The middle of round two is measured, never compared by id: no file of it is kept.
    const file = name === 'middle' ? undefined : this.keptFiles[k]
    const options = { session: this.session, mode, write: this.write, file, beforeWalk: walkedTarget && k === 0, endWalks }
    this.snapshotBytes[k] = await this.heap.snapshot(name, k, options)
    this.heapUsed[k] = this.heap.heapUsed()
    this.timeline.mark(k, this.heapUsed[k])
    callNative(() => this.session.endSnapshot()) // parsed in the background; analyze() waits for it
    this.lap(`snapshot:${name}`)
  }

  // The GC comes first so that what it frees can run its finalizers (FinalizationRegistry
  // callbacks, weak callbacks of native handles, async_hooks `destroy` hooks) during the wait,
  // before V8's own GC for the next snapshot. A target walk has just made that GC (a walk
  // starts with one, after the calls as this one would be): a second would free nothing more.
  // The wait follows the target's mark even where V8 12 makes the target wait for its timer:
  // what the process's periodic work replaces (Node's own `timerListId`, a heap number) must
  // be replaced again above the mark, or it is new in the final (ARCHITECTURE.md).
  async settle(afterWalk = false) {
    this.progress('settle')
    // Each pass over Node's tick queue replaces its table of pending promise rejections (a new
    // Map). The loop may turn between the calls and a target walk, and such a Map made there
    // would outlive it as a "new" object: one pass here makes it garbage, as the target
    // snapshot's stream did.
    await nextTick()
    if (!afterWalk) await this.heap.collectGarbage()
    this.timeline.record(this.heap.heapUsed(), true)
    await sleep(this.o.settleMs, this.o.signal)
    this.lap('settle')
  }
}

/** Values measured at most (diff::growing_values keeps as many, largest first). */
const MAX_GROWING_VALUES = 64
/** Values measured by their length at most: each read walks the heap (~0.5 µs an object). */
const MAX_LENGTH_LOOKUPS = 4

/**
 * Whether a value's size in the heap is only an upper bound its length would correct: an
 * Array of numbers (its store has room to spare), a view whose backing store is a Buffer pool
 * (`poolSizes`: Node's Buffer.poolSize; a small Buffer is a slice of it).
 */
function sizeNeedsLength(size, poolSizes) {
  return size.form === 'numbers' || (size.form === 'view' && poolSizes.includes(size.storeBytes))
}

/**
 * A value's bytes from the length in its inspector description where the heap source gave one
 * (`"Buffer(6200)"`, `"Array(184)"`: a view's elements, or an Array's numbers at 8 bytes each,
 * as V8 stores a double or a small integer on a 64-bit heap), else as the snapshot shows it.
 */
function exactBytes(size, description) {
  const found = /\((\d+)\)$/.exec(description || '')
  if (!found) return size.bytes
  const length = Number(found[1])
  if (size.form === 'numbers') return length * 8
  const perElement = globalThis[size.name] && globalThis[size.name].BYTES_PER_ELEMENT
  return length * (perElement || 1)
}

/** Resolves on the next pass over Node's tick queue, once the microtasks queued now have run. */
function nextTick() {
  return new Promise((resolve) => process.nextTick(resolve))
}

module.exports = { hunt, HuntRun, idsReset, checkOptions, sizeNeedsLength, DEFAULTS, SCHEMA_VERSION }
