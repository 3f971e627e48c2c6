'use strict'
// leakhunt's public API. The native addon (lib/binding.js loads it) does the heavy work; this
// file checks arguments, picks the native entry point and gives errors their `code`.

const binding = require('./lib/binding.js')
const { callNative, invalidArg, outOfRange, checkOptions: checkKnown } = require('./lib/errors.js')
const { hunt } = require('./lib/hunt.js')
const { attach } = require('./lib/attach.js')
const { gc } = require('./lib/gc.js')
const { takeSnapshot } = require('./lib/snapshot.js')
const { formatReport } = require('./lib/format.js')
const { formatProfileReport } = require('./lib/profile.js')
const { renderHtml, renderSuiteHtml } = require('./lib/html.js')
const { monitor } = require('./lib/monitor.js')
const { withCauses, diagnose } = require('./lib/diagnose.js')
const { judge } = require('./lib/verdict.js')
const { redact } = require('./lib/redact.js')
const { mapReport } = require('./lib/source-maps.js')
const { assertNoLeaks } = require('./lib/assert.js')
const { track, collected, expectCollected, untrackAll } = require('./lib/track.js')

const { HeapSnapshot } = require('./lib/heap-snapshot.js')

const ANALYZE_OPTIONS = { includeInternals: undefined, iterations: undefined, ignore: undefined, maxSamples: undefined, onProgress: undefined, redact: undefined, confirm: undefined, sourceMaps: undefined }

function checkOptions(options) {
  const { includeInternals, iterations, ignore, maxSamples, onProgress, redact: redacted, confirm, sourceMaps } = checkKnown(options, ANALYZE_OPTIONS, 'analyzeSnapshots')
  if (confirm !== undefined && typeof confirm !== 'string' && !(confirm instanceof HeapSnapshot)) {
    throw invalidArg('options.confirm', 'a file path or a HeapSnapshot', confirm)
  }
  checkOnProgress(onProgress)
  for (const [name, value] of [['redact', redacted], ['sourceMaps', sourceMaps]]) {
    if (value !== undefined && typeof value !== 'boolean') throw invalidArg(`options.${name}`, 'a boolean', value)
  }
  if (includeInternals !== undefined && typeof includeInternals !== 'boolean') {
    throw invalidArg('options.includeInternals', 'a boolean', includeInternals)
  }
  for (const [name, value] of [['iterations', iterations], ['maxSamples', maxSamples]]) {
    if (value !== undefined && !Number.isInteger(value)) throw invalidArg(`options.${name}`, 'an integer', value)
    if (value !== undefined && value < 1) throw outOfRange(`options.${name}`, '>= 1', value)
  }
  if (ignore !== undefined && !(Array.isArray(ignore) && ignore.every((p) => typeof p === 'string'))) {
    throw invalidArg('options.ignore', 'an array of strings', ignore)
  }
  return { includeInternals, iterations, ignore, maxSamples, onProgress, redact: redacted, confirm, sourceMaps }
}

function checkOnProgress(onProgress) {
  if (onProgress !== undefined && typeof onProgress !== 'function') throw invalidArg('options.onProgress', 'a function', onProgress)
}

const PROGRESS_INTERVAL_MS = 100

/**
 * Runs native work that reports into a `Progress`, calling `onProgress` every 100 ms while it
 * runs (the work is on the thread pool, so the event loop is free to) and once at the end.
 */
async function withProgress(onProgress, work) {
  if (!onProgress) return work(undefined)
  const progress = new binding.Progress()
  const report = () => onProgress({ phase: progress.phase, bytesDone: progress.bytesDone, bytesTotal: progress.bytesTotal })
  const timer = setInterval(report, PROGRESS_INTERVAL_MS)
  try {
    const result = await work(progress)
    report()
    return result
  } finally {
    clearInterval(timer)
  }
}

/**
 * Parses a `.heapsnapshot` file off the main thread into a native handle.
 * @param {string} path
 * @param {{ mode?: 'full' | 'ids', onProgress?: (p: { phase: string, bytesDone: number, bytesTotal: number }) => void }} [options]
 */
async function readSnapshot(path, options = {}) {
  if (typeof path !== 'string') throw invalidArg('path', 'a string', path)
  const { mode, onProgress } = checkKnown(options, { mode: undefined, onProgress: undefined }, 'readSnapshot')
  if (mode !== undefined && mode !== 'full' && mode !== 'ids') throw invalidArg('options.mode', "'full' or 'ids'", mode)
  checkOnProgress(onProgress)
  return withProgress(onProgress, (progress) => callNative(() => binding.readSnapshot(binding.pathFor(path), mode, progress)))
}

/**
 * The three-snapshot diff: objects new since `baseline`, present in `target` and still
 * alive in `final`, grouped, with retained sizes and retainer paths. Each argument is a
 * file path or a `HeapSnapshot` (the final one parsed in full).
 */
async function analyzeSnapshots(baseline, target, final, options) {
  const opts = checkOptions(options)
  const inputs = [baseline, target, final]
  const names = ['baseline', 'target', 'final']
  inputs.forEach((input, i) => {
    if (typeof input !== 'string' && !(input instanceof HeapSnapshot)) {
      throw invalidArg(names[i], 'a file path or a HeapSnapshot', input)
    }
  })
  const { onProgress, redact: redacted, confirm, sourceMaps, ...native } = opts
  // Judged as a hunt judges: with a fourth snapshot, by round two's growth per growth point;
  // without, a holder that gained one object over several calls is not growing with them.
  // Positions map through the .map files beside the scripts, when their names are paths here.
  const finish = async (first, persisted = null, grown = null) => {
    const { leaks, retained } = judge(first, persisted, grown)
    const report = withCauses({ ...first, leaks, retained, summary: { ...first.summary, confirmed: grown !== null } })
    if (sourceMaps !== false) await mapReport(report)
    return redacted ? redact(report) : report
  }
  if (confirm !== undefined) {
    const handles = await Promise.all(
      [...inputs, confirm].map((input, i) => (typeof input === 'string' ? readSnapshot(input, { mode: i < 2 ? 'ids' : 'full' }) : input)),
    )
    const rounds = await callNative(() => binding.analyzeRounds(handles[0], handles[1], handles[2], handles[3], native))
    return finish(rounds.first, rounds.persisted, rounds.grown)
  }
  if (inputs.every((input) => typeof input === 'string')) {
    return finish(await withProgress(onProgress, (progress) => callNative(() => binding.analyzeFiles(...inputs.map(binding.pathFor), native, progress))))
  }
  // Mixed: parse the paths (baseline and target need ids only), then diff the handles.
  const handles = await Promise.all(
    inputs.map((input, i) => (typeof input === 'string' ? readSnapshot(input, { mode: i < 2 ? 'ids' : 'full' }) : input)),
  )
  return finish(await callNative(() => binding.analyzeParsed(handles[0], handles[1], handles[2], native)))
}

/**
 * Streams a snapshot's text into the native parser: `write(chunk)` with strings (from the
 * inspector) or bytes, then `await end()` for the `HeapSnapshot`.
 */
class SnapshotParser {
  #native
  /** @param {{ source?: string, mode?: 'full' | 'ids' }} [options] */
  constructor(options = {}) {
    const { source, mode } = checkKnown(options, { source: undefined, mode: undefined }, 'SnapshotParser')
    if (source !== undefined && typeof source !== 'string') throw invalidArg('options.source', 'a string', source)
    this.#native = callNative(() => new binding.SnapshotParser(source, mode))
  }

  write(chunk) {
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
      throw invalidArg('chunk', 'a string or a Uint8Array', chunk)
    }
    callNative(() => this.#native.write(chunk))
  }

  get bytesRead() {
    return this.#native.bytesRead
  }

  end() {
    return callNative(() => this.#native.end())
  }
}

module.exports = {
  hunt,
  attach,
  formatReport,
  formatProfileReport,
  renderHtml,
  renderSuiteHtml,
  monitor,
  diagnose,
  assertNoLeaks,
  track,
  collected,
  expectCollected,
  untrackAll,
  gc,
  takeSnapshot,
  readSnapshot,
  analyzeSnapshots,
  SnapshotParser,
  HeapSnapshot,
}
