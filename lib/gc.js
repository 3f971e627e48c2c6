'use strict'
// Forcing garbage collection without --expose-gc.
//
// Verified on Node 20.20, 22.23 and 24.21 with PerformanceObserver 'gc' entries: a bare gc()
// is always a full Mark-Compact, but on Node 20 gc({ type: 'major' }) and
// gc({ type: 'major', execution: 'sync' }) silently run a *minor* GC. So a major GC here is
// always the bare call.
//
// Also verified on all three: disconnecting *any* inspector session renumbers every object in
// later heap snapshots (V8's HeapProfiler agent clears its object ids when a session goes away).
// Snapshot diffs depend on stable ids, so an inspector session used for GC must stay open
// across all the snapshots being compared: hunt() holds one (`InspectorGc`) for its whole run.
const fs = require('node:fs')
const inspector = require('node:inspector')
const v8 = require('node:v8')
const vm = require('node:vm')
const { invalidArg, checkOptions, codedError } = require('./errors.js')

let flagGc = null
const PROBE_GROUP = 'leakhunt-ids-probe'
const DESCRIPTIONS_GROUP = 'leakhunt-value-descriptions'
// Id intervals (one per walk) a hunt keeps figures for: at 20 walks a second, 13 minutes.
const MAX_INTERVALS = 1 << 14

/** The `gc` function from V8's extension, obtained without --expose-gc (Jest does the same). */
function gcFromFlags() {
  if (!flagGc) {
    v8.setFlagsFromString('--expose-gc')
    flagGc = vm.runInNewContext('gc')
  }
  return flagGc
}

// Before V8 12 (Node 18 and 20) a heap snapshot finds each function's line by scanning its
// script's source from the start, unless the script's line ends are cached. With one large
// script loaded (TypeScript's compiler, 9 MB: every ts-jest and ts-node process) a 23 MB heap
// took 25 s to snapshot instead of 0.6 s, and a hunt 51 s instead of 1.5 (measured on 18.17,
// 20.0, 20.15 and 20.20; 22.0 and later are not affected). Enabling the Debugger domain makes
// V8 cache the line ends of every script it reports, so it is enabled and disabled again first.
const LINE_ENDS_UNCACHED = Number(process.versions.v8.split('.')[0]) < 12

/**
 * Has V8 cache every script's line ends, where a snapshot would otherwise scan sources (see
 * LINE_ENDS_UNCACHED), through `post(method)`, an inspector session's; `v8` the target's
 * V8 version. The line ends are V8's own arrays, made before anything is measured.
 * @param {(method: string) => Promise<unknown>} post
 * @param {string} [v8Version]
 */
async function cacheLineEnds(post, v8Version) {
  if (v8Version ? Number(String(v8Version).split('.')[0]) >= 12 : !LINE_ENDS_UNCACHED) return false
  try {
    await post('Debugger.enable')
  } catch {
    return false // no Debugger domain there: the snapshot is only slower
  }
  await Promise.resolve(post('Debugger.disable')).catch(() => {})
  return true
}

/** cacheLineEnds() through a session of its own (a snapshot that compares no ids). */
async function cacheLineEndsHere() {
  if (!LINE_ENDS_UNCACHED) return false
  const session = new inspector.Session()
  session.connect()
  try {
    return await cacheLineEnds((method) => new Promise((resolve) => session.post(method, {}, () => resolve())))
  } finally {
    session.disconnect()
  }
}

/** An inspector session kept open for HeapProfiler.collectGarbage (two full GCs). */
class InspectorGc {
  constructor() {
    this.tracking = false
    this.tracksAllocations = false
    // Heap used at a snapshot's first chunk; a typed array, as a number field turned double
    // would be a box made mid-hunt (a "new" object).
    this.heapUsedAtCapture = new Float64Array(1)
    // What V8's walks said since tracking started (see heapWalk), in arrays made here, before
    // any walk: [0] the walks so far; per walk's id interval, its live objects and bytes.
    this.walks = new Float64Array(1)
    this.intervalCount = new Float64Array(MAX_INTERVALS)
    this.intervalSize = new Float64Array(MAX_INTERVALS)
    this.onWalk = null
    try {
      this.session = new inspector.Session()
      this.session.connect()
    } catch {
      this.session = null // no inspector in this build
    }
    if (this.session) {
      // Listening from the start, before the baseline: every walk while V8 tracks, the timer's
      // too, opens an id interval, and its index is the walk's rank since tracking started.
      this.session.on('HeapProfiler.heapStatsUpdate', ({ params }) => this.intervalsUpdated(params.statsUpdate))
      this.session.on('HeapProfiler.lastSeenObjectId', ({ params }) => this.walkEnded(params.lastSeenObjectId))
    }
  }

  /** V8 sends (interval, live objects, bytes) for each interval whose figures changed. */
  intervalsUpdated(update) {
    for (let i = 0; i + 2 < update.length; i += 3) {
      const k = update[i]
      if (k >= MAX_INTERVALS) continue
      this.intervalCount[k] = update[i + 1]
      this.intervalSize[k] = update[i + 2]
    }
  }

  walkEnded(lastSeenObjectId) {
    const k = this.walks[0]++
    const resolve = this.onWalk
    if (resolve === null) return
    this.onWalk = null
    // All intervals together are every live object V8 tracks (unknown past the table: 0).
    let count = 0
    let size = 0
    if (k < MAX_INTERVALS) {
      for (let i = 0; i <= k; i++) {
        count += this.intervalCount[i]
        size += this.intervalSize[i]
      }
    }
    resolve({ lastSeenObjectId, objectCount: count, totalSize: size })
  }

  /** V8 forgets its intervals when tracking stops. */
  trackingStopped() {
    this.tracking = false
    this.tracksAllocations = false
    this.walks[0] = 0
    this.intervalCount.fill(0)
    this.intervalSize.fill(0)
  }

  async collect() {
    if (!this.session) return false
    // Resolve, never act, inside the callback: on Node 20 it runs synchronously within
    // post(), inside the inspector's dispatch, where disconnecting deadlocks the thread.
    const err = await new Promise((resolve) => this.session.post('HeapProfiler.collectGarbage', resolve))
    return !err
  }

  post(method, params) {
    // As in collect(): settle outside the callback.
    return new Promise((resolve, reject) => {
      if (!this.session) return reject(codedError('ERR_LEAKHUNT_NO_INSPECTOR', `${method} needs node:inspector, which this Node build lacks`))
      this.session.post(method, params, (err, result) => (err ? reject(err) : resolve(result)))
    })
  }

  /**
   * V8's allocation tracker from now on: each new object records the JS stack that made it,
   * and snapshots carry the trace (taken by any means, v8.getHeapSnapshot() included).
   */
  async startTrackingAllocations() {
    await this.post('HeapProfiler.enable', {})
    this.trackingStopped()
    await this.post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true })
    this.tracking = true
    this.tracksAllocations = true
  }

  /**
   * An object-id watermark, for about a tenth of a snapshot: V8's highest object id after a
   * heap walk made after this call. While V8 tracks heap objects, Node's timer has it walk the
   * heap about 20 times a second (V8 spaces the walks out on a big heap): each walk, one GC and
   * one pass, no edges, gives every live object an id and sends the highest given out
   * (`lastSeenObjectId`), after the count and size of the live objects of each id interval, one
   * interval per walk (`heapStatsUpdate`). Ids only grow and an object keeps its id for life, so
   * an object of a later snapshot whose id is at most the mark was alive at the walk. Resolves
   * to null without an inspector; the tracking stops with `stopTrackingInto()` or `close()`.
   */
  async heapWalk() {
    if (!this.session) return null
    const fresh = !this.tracking
    if (fresh) {
      await this.post('HeapProfiler.enable', {})
      this.trackingStopped()
    }
    const walked = new Promise((resolve) => {
      this.onWalk = resolve
    })
    if (fresh) {
      await this.post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: false })
      this.tracking = true
    }
    return walked
  }

  /**
   * Stops tracking heap objects, which V8 does only after sending a snapshot: its chunks go to
   * `write` (and `fd`), as in snapshotInto().
   */
  async stopTrackingInto(write, fd) {
    try {
      return await this.snapshotInto(write, fd, 'HeapProfiler.stopTrackingHeapObjects')
    } finally {
      this.trackingStopped()
    }
  }

  /**
   * A heap snapshot through the session, its chunks to `write` (and `fd`). Taken from here,
   * like v8.getHeapSnapshot() from its caller; the chunks are JS strings (ARCHITECTURE.md), but
   * made only after the heap was captured, and garbage at once.
   */
  async snapshotInto(write, fd, method = 'HeapProfiler.takeHeapSnapshot') {
    const session = this.session
    let bytes = 0
    let failed = null
    this.heapUsedAtCapture[0] = 0
    const onChunk = ({ params }) => {
      if (failed) return
      // Heap used as V8 left it after the capture's GC, before the chunks (garbage soon) add up.
      if (bytes === 0) this.heapUsedAtCapture[0] = process.memoryUsage().heapUsed
      try {
        const chunk = Buffer.from(params.chunk, 'utf8')
        write(chunk)
        if (fd !== null) fs.writeSync(fd, chunk)
        bytes += chunk.length
      } catch (err) {
        failed = err // thrown below, not into the inspector's dispatch
      }
    }
    session.on('HeapProfiler.addHeapSnapshotChunk', onChunk)
    try {
      await this.post(method, { reportProgress: false })
    } finally {
      session.removeListener('HeapProfiler.addHeapSnapshotChunk', onChunk)
    }
    if (failed) throw failed
    return bytes
  }

  /**
   * V8's heap-snapshot id of the global object, or 0 when it has none (no snapshot numbered
   * it yet, or the ids were cleared since). Read *before* a snapshot, the id still set by the
   * last one shows that no other session cleared V8's ids in between; read after one it would
   * not, since V8 numbers again in traversal order and the global object is reached first.
   * Verified on Node 20, 22 and 24. 0 too when the inspector cannot answer: no check then.
   *
   * Synchronous, as the session answers inside post() on 20–24, so no promise job of ours
   * runs between the calls and a snapshot: with awaits here, a clean node:test suite failed,
   * one closure of its reporter's stdout stream surviving each round (measured).
   */
  globalObjectId() {
    if (!this.session) return 0
    let id = 0
    const answer = (method, params) => {
      let result = null
      this.session.post(method, params, (err, res) => {
        if (!err) result = res
      })
      return result
    }
    try {
      const evaluated = answer('Runtime.evaluate', { expression: 'globalThis', objectGroup: PROBE_GROUP })
      const objectId = evaluated && evaluated.result && evaluated.result.objectId
      const found = objectId && answer('HeapProfiler.getHeapObjectId', { objectId })
      id = (found && Number(found.heapSnapshotObjectId)) || 0
      if (objectId) answer('Runtime.releaseObjectGroup', { objectGroup: PROBE_GROUP })
    } catch {
      id = 0 // a session that cannot post: no check
    }
    return id
  }

  /**
   * V8's inspector's description of each object ("Buffer(6200)", "Array(184)"), by snapshot
   * id; null for an id of 0, an object gone, or no session. The objects are held only in an
   * object group released at once. Synchronous, as globalObjectId().
   */
  descriptionsOf(ids) {
    if (!this.session) return ids.map(() => null)
    const descriptions = ids.map((id) => {
      if (!id) return null
      let description = null
      try {
        this.session.post('HeapProfiler.getObjectByHeapObjectId', { objectId: String(id), objectGroup: DESCRIPTIONS_GROUP }, (err, res) => {
          if (!err && res && res.result) description = res.result.description || null
        })
      } catch {
        // a session that cannot post: the snapshot's measure stands
      }
      return description
    })
    try {
      this.session.post('Runtime.releaseObjectGroup', { objectGroup: DESCRIPTIONS_GROUP }, () => {})
    } catch {
      // nothing was put in the group
    }
    return descriptions
  }

  /**
   * Empties V8's console message storage. While any inspector session is connected, V8 keeps
   * the arguments of every console.* call there (a "DevTools console" holder in snapshots), so
   * what a hunted function logs would look like a leak that only the hunt's own session makes.
   * Synchronous, like globalObjectId(), so nothing of ours runs between it and a snapshot.
   */
  discardConsoleEntries() {
    if (!this.session) return
    try {
      this.session.post('Runtime.discardConsoleEntries', {}, () => {})
    } catch {
      // a session that cannot post keeps no console storage either
    }
  }

  close() {
    if (this.session) {
      // HeapProfiler.disable stops allocation tracking and frees the tracker without the heap
      // snapshot that stopTrackingHeapObjects would send (seconds, and JS strings, on a big
      // heap). Disconnecting does the same; saying it keeps it true whatever Node does.
      if (this.tracking) this.session.post('HeapProfiler.disable', {}, () => {})
      this.session.disconnect()
    }
    this.session = null
    this.trackingStopped()
  }
}

/** V8's `gc` function: `globalThis.gc` when exposed, else --expose-gc set at run time (may throw). */
function gcFunction() {
  return typeof globalThis.gc === 'function' ? globalThis.gc : gcFromFlags()
}

/** A full, synchronous Mark-Compact now. */
function forcedGc() {
  gcFunction()()
}

function checkType(options) {
  const { type } = checkOptions(options, { type: 'major' }, 'gc')
  if (type !== 'major' && type !== 'minor') throw invalidArg('options.type', "'major' or 'minor'", type)
  return type
}

/**
 * A full GC for the hunt: `globalThis.gc` when exposed, else the hunt's inspector session,
 * else --expose-gc set at run time.
 */
async function fullGc(inspectorGc) {
  if (typeof globalThis.gc === 'function') return globalThis.gc()
  if (inspectorGc && (await inspectorGc.collect())) return
  gcFromFlags()()
}

/**
 * Forces a garbage collection. `major` (default): a full Mark-Compact; `minor`: a scavenge of
 * the young generation. Uses `globalThis.gc` when exposed, else --expose-gc set at run time
 * (as Jest does); a one-off inspector session is the last resort, because closing it would
 * renumber objects in any snapshots you take around this call.
 * @param {{ type?: 'major' | 'minor' }} [options]
 */
async function gc(options = {}) {
  const type = checkType(options)
  let fn = null
  try {
    fn = gcFunction()
  } catch {
    // no flags to set here: the inspector below, for a major GC
  }
  if (fn) return void (type === 'minor' ? fn({ type: 'minor' }) : fn())
  if (type === 'minor') throw codedError('ERR_LEAKHUNT_NO_GC', 'a minor GC needs --expose-gc on this Node')
  const once = new InspectorGc()
  try {
    if (!(await once.collect())) throw codedError('ERR_LEAKHUNT_NO_GC', 'no way to force a GC here')
  } finally {
    once.close()
  }
}

module.exports = { gc, fullGc, forcedGc, InspectorGc, cacheLineEnds, cacheLineEndsHere }
