'use strict'
// Watching a running service for a leak. Heap used sampled on a clock is GC sawtooth: it
// climbs between collections whatever the program does. The signal is the heap right after
// each *major* GC, when only live objects remain; a leak makes that floor climb. The trend
// over a sliding window is fitted robustly (Theil–Sen slope, Mann–Kendall test), so a few
// odd samples do not make a leak, and warm-up (a climb that levels off) slides out of the
// window.
//
// A fast leak leaves V8 little reason for major GCs (a loop leaking 200 MB a minute and
// making no garbage saw none in 20 s), so the floor alone would come too late or never. A
// cheap timer reads the old generation (everything but the young one) between major GCs; when
// it has climbed at `fastGrowthBytesPerMinute` or more since the last floor and V8 has run no
// major GC for a while, the monitor runs one itself, which gives the next floor. A fast climb
// may be judged from 5 floors: the exact Mann–Kendall test reaches p < 0.01 with 5 rising
// points (1/5! = 0.0083), where the normal approximation never does.
const { EventEmitter } = require('node:events')
const fs = require('node:fs')
const path = require('node:path')
const v8 = require('node:v8')
const { PerformanceObserver, constants } = require('node:perf_hooks')
const { checkOptions: checkKnown, invalidArg, outOfRange, codedError, callNative } = require('./errors.js')
const { forcedGc } = require('./gc.js')
const binding = require('./binding.js')
const { profileReport, GROWTH: PROFILE_GROWTH } = require('./profile.js')
const { checkLocalSnapshotRoom } = require('./room.js')

const ordinal = (n) => `${n}${n === 1 ? 'st' : n === 2 ? 'nd' : n === 3 ? 'rd' : 'th'}`

const KINDS = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
}

const DEFAULTS = {
  windowMs: 10 * 60_000,
  minSamples: 10,
  growthBytesPerMinute: 1024 * 1024,
  // One-sided Mann–Kendall p < 0.01: the climb is not chance.
  minConfidence: 0.99,
  maxSamples: 500,
  sampleIntervalMs: 5_000,
  fastGrowthBytesPerMinute: 32 * 1024 * 1024,
  forceGc: true,
  snapshotOnLeak: undefined,
  profile: false,
}

// The fewest floors a fast climb is judged from: with fewer, no order of points reaches
// p < 0.01 in the exact test (4 rising points: 1/4! = 0.042).
const FAST_MIN_SAMPLES = 5
// Up to this many points, Mann–Kendall's p-value is counted exactly (n! orders).
const EXACT_MAX_N = 10
// A monitor samples for the life of the service: one sample per 256 KiB allocated costs a
// CPU-bound HTTP service 1–2 % of its throughput where V8's 32 KiB cost 6.5 % (bench/profile.js),
// and a leak of 1 MB a minute still gives 4 samples a minute.
const MONITOR_SAMPLING_INTERVAL = 256 * 1024
// Floors with profiles a 'leak' waits for the profiler to name a site.
const PROFILE_WAIT_FLOORS = 12
const YOUNG_SPACES = new Set(['new_space', 'new_large_object_space'])

/** Median of pairwise slopes: robust to a third of the points being outliers. */
function theilSen(points) {
  const slopes = []
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dt = points[j].time - points[i].time
      if (dt > 0) slopes.push((points[j].heapUsed - points[i].heapUsed) / dt)
    }
  }
  if (slopes.length === 0) return 0
  slopes.sort((a, b) => a - b)
  const mid = slopes.length >> 1
  return slopes.length % 2 ? slopes[mid] : (slopes[mid - 1] + slopes[mid]) / 2
}

/**
 * Confidence (0..1) that the series rises, from the Mann–Kendall S statistic: exact for up to
 * ten points (the share of the n! orders whose S is lower), else the normal approximation
 * with continuity correction (no ties correction).
 */
function mannKendall(points) {
  const n = points.length
  let s = 0
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += Math.sign(points[j].heapUsed - points[i].heapUsed)
  if (n < 2) return 0
  if (n <= EXACT_MAX_N) return 1 - exactUpperTail(n, s)
  const variance = (n * (n - 1) * (2 * n + 5)) / 18
  const z = s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0
  return normalCdf(z)
}

// inversions[n][k]: how many orders of n distinct values have k inversions (Mahonian numbers).
const inversions = [[1]]
function inversionCounts(n) {
  for (let m = inversions.length; m <= n; m++) {
    const prev = inversions[m - 1]
    const row = new Array((m * (m - 1)) / 2 + 1).fill(0)
    for (let k = 0; k < row.length; k++) for (let j = 0; j < m && j <= k; j++) row[k] += prev[k - j] || 0
    inversions.push(row)
  }
  return inversions[n]
}

/** P(S >= s) for n points in random order: S = pairs − 2 · inversions. */
function exactUpperTail(n, s) {
  const counts = inversionCounts(n)
  const pairs = (n * (n - 1)) / 2
  let total = 0
  let tail = 0
  for (let k = 0; k < counts.length; k++) {
    total += counts[k]
    if (pairs - 2 * k >= s) tail += counts[k]
  }
  return tail / total
}

/** The highest confidence the trend test can give with n points: all of them rising. */
function bestConfidence(n) {
  return mannKendall(Array.from({ length: n }, (_, i) => ({ heapUsed: i })))
}

/** Heap used outside the young generation: where survivors, and so leaks, accumulate. */
function oldGenerationUsed() {
  let used = 0
  for (const space of v8.getHeapSpaceStatistics()) if (!YOUNG_SPACES.has(space.space_name)) used += space.space_used_size
  return used
}

// Abramowitz–Stegun 26.2.17; plenty for a confidence threshold.
function normalCdf(z) {
  const t = 1 / (1 + 0.2316419 * Math.abs(z))
  const d = 0.3989422804014327 * Math.exp((-z * z) / 2)
  const p = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))))
  return z > 0 ? 1 - p : p
}

function checkOptions(options) {
  const o = checkKnown(options, DEFAULTS, 'monitor')
  for (const name of ['windowMs', 'growthBytesPerMinute', 'sampleIntervalMs', 'fastGrowthBytesPerMinute']) {
    if (typeof o[name] !== 'number' || Number.isNaN(o[name])) throw invalidArg(`options.${name}`, 'a number', o[name])
    if (!(o[name] > 0)) throw outOfRange(`options.${name}`, '> 0', o[name])
  }
  for (const name of ['minSamples', 'maxSamples']) {
    if (!Number.isInteger(o[name])) throw invalidArg(`options.${name}`, 'an integer', o[name])
    if (o[name] < 3) throw outOfRange(`options.${name}`, '>= 3', o[name])
  }
  if (typeof o.minConfidence !== 'number') throw invalidArg('options.minConfidence', 'a number', o.minConfidence)
  if (!(o.minConfidence > 0.5 && o.minConfidence < 1)) throw outOfRange('options.minConfidence', 'between 0.5 and 1', o.minConfidence)
  if (typeof o.forceGc !== 'boolean') throw invalidArg('options.forceGc', 'a boolean', o.forceGc)
  if (o.profile !== false && o.profile !== true && !(o.profile && typeof o.profile === 'object' && (o.profile.samplingInterval === undefined || (Number.isInteger(o.profile.samplingInterval) && o.profile.samplingInterval >= 1024)))) {
    throw invalidArg('options.profile', 'a boolean or { samplingInterval } (bytes, at least 1024)', o.profile)
  }
  if (o.snapshotOnLeak !== undefined) {
    const s = o.snapshotOnLeak
    if (!s || typeof s !== 'object' || typeof s.dir !== 'string') throw invalidArg('options.snapshotOnLeak', 'an object with a dir', s)
    o.snapshotOnLeak = { maxSnapshots: 3, minIntervalMs: 5 * 60_000, ...s }
    if (!Number.isInteger(o.snapshotOnLeak.maxSnapshots) || o.snapshotOnLeak.maxSnapshots < 1) {
      throw outOfRange('options.snapshotOnLeak.maxSnapshots', 'a positive integer', o.snapshotOnLeak.maxSnapshots)
    }
  }
  checkCanFire(o)
  return o
}

/** Refuses options under which 'leak' could never be emitted, and warns of weaker ones; says why. */
function checkCanFire(o) {
  // More points never lower the best confidence, so the window's most is what counts.
  const best = bestConfidence(o.maxSamples)
  if (best < o.minConfidence) {
    throw codedError(
      'ERR_LEAKHUNT_MONITOR_NEVER_FIRES',
      `with at most ${o.maxSamples} samples the trend test reaches a confidence of ${best.toFixed(4)} at best, below minConfidence ${o.minConfidence}, so 'leak' could never be emitted: allow more samples (maxSamples) or lower minConfidence`,
    )
  }
  if (o.maxSamples < Math.min(o.minSamples, FAST_MIN_SAMPLES)) {
    throw codedError('ERR_LEAKHUNT_MONITOR_NEVER_FIRES', `maxSamples (${o.maxSamples}) is below minSamples (${o.minSamples}), so 'leak' could never be emitted`)
  }
  const warn = (message) => process.emitWarning(`monitor(): ${message}`, { code: 'LEAKHUNT_MONITOR_OPTIONS' })
  if (o.maxSamples < o.minSamples) {
    warn(`maxSamples (${o.maxSamples}) is below minSamples (${o.minSamples}): only leaks of ${o.fastGrowthBytesPerMinute} bytes a minute or more can be reported`)
  }
  if (o.windowMs < FAST_MIN_SAMPLES * o.sampleIntervalMs) {
    warn(
      `windowMs (${o.windowMs}) holds fewer than ${FAST_MIN_SAMPLES} samples ${o.sampleIntervalMs} ms apart: a fast leak is reported only if V8 runs enough major GCs of its own in that window`,
    )
  }
}

class Monitor extends EventEmitter {
  constructor(options) {
    super()
    this.options = checkOptions(options)
    this.samples = []
    this.gc = Object.fromEntries(Object.values(KINDS).map((k) => [k, { count: 0, totalMs: 0 }]))
    this.forcedGcs = 0
    this.lastLeakAt = -Infinity
    this.snapshots = []
    this.lastSnapshotAt = -Infinity
    this.trend = { slopeBytesPerMinute: 0, confidence: 0, samples: 0, spanMs: 0, suspected: false }
    // The old generation at the last floor (or the start): what the timer measures a climb from.
    this.lastFloor = { time: Date.now(), oldGeneration: oldGenerationUsed() }
    this.oldGenerationRate = 0
    this.profiler = this.options.profile ? new SamplingProfiler(this.options.profile) : null
    this.roomMemo = new Float64Array(2)
    this.observer = new PerformanceObserver((list) => this.onEntries(list.getEntries()))
    this.observer.observe({ entryTypes: ['gc'] })
    // unref'd: a monitor never keeps a process alive.
    this.timer = setInterval(() => {
      this.checkOldGeneration()
      // A sampled profile per interval. V8's inspector collects garbage before it answers
      // (kSamplingForceGC), so a profile is the live memory by site, and its GC a floor too.
      if (this.profiler) this.profiler.take(Date.now(), (err) => this.listenerCount('error') > 0 && this.emit('error', err))
    }, this.options.sampleIntervalMs)
    this.timer.unref()
    this.stopped = false
  }

  onEntries(entries) {
    let major = false
    for (const entry of entries) {
      const kind = KINDS[entry.detail ? entry.detail.kind : entry.kind] || 'other'
      if (!this.gc[kind]) this.gc[kind] = { count: 0, totalMs: 0 }
      this.gc[kind].count++
      this.gc[kind].totalMs += entry.duration
      if (kind === 'major') major = true
    }
    // Entries arrive in a batch shortly after the GCs; heap used now is that floor plus what
    // the program allocated since, which is small next to a window's growth.
    if (major && !this.stopped) this.record()
  }

  /**
   * Between floors: a climb of the old generation at fastGrowthBytesPerMinute or more, with no
   * major GC for a sampling interval, gets a major GC now (at most one per interval), so that
   * a fast leak is measured in floors instead of waiting for V8.
   */
  checkOldGeneration() {
    if (this.stopped) return
    const now = Date.now()
    const since = now - this.lastFloor.time
    this.oldGenerationRate = ((oldGenerationUsed() - this.lastFloor.oldGeneration) / Math.max(since, 1)) * 60_000
    const o = this.options
    if (!o.forceGc || since < o.sampleIntervalMs || this.oldGenerationRate < o.fastGrowthBytesPerMinute) return
    try {
      forcedGc() // its entry arrives at onEntries as any major GC's, and gives the floor
      this.forcedGcs++
    } catch (err) {
      // No way to force a GC in this process (flags locked down): wait for V8's own, and
      // never throw into the service from a timer.
      this.options.forceGc = false
      if (this.listenerCount('error') > 0) this.emit('error', err)
    }
  }

  record() {
    const m = process.memoryUsage()
    const sample = { time: Date.now(), heapUsed: m.heapUsed, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers }
    this.lastFloor = { time: sample.time, oldGeneration: oldGenerationUsed() }
    this.samples.push(sample)
    const cutoff = sample.time - this.options.windowMs
    if (this.profiler && this.samples.length > 0) this.profiler.forgetBefore(Math.max(cutoff, this.samples[0].time))
    while (this.samples.length > 0 && (this.samples[0].time < cutoff || this.samples.length > this.options.maxSamples)) this.samples.shift()
    this.emit('sample', sample)
    this.evaluate(sample.time)
  }

  evaluate(now) {
    const o = this.options
    const points = this.samples
    const spanMs = points.length > 1 ? points[points.length - 1].time - points[0].time : 0
    const slope = theilSen(points) * 60_000
    const confidence = mannKendall(points)
    // Sustained: the later half of the window climbs too, so a warm-up that levelled off
    // (all of its climb in the first half) is not a leak.
    const later = points.slice(points.length >> 1)
    const laterSlope = theilSen(later) * 60_000
    // A fast climb may be judged from fewer floors than a slow one.
    const fast = slope >= o.fastGrowthBytesPerMinute && laterSlope >= o.fastGrowthBytesPerMinute / 2
    const needed = fast ? Math.min(o.minSamples, FAST_MIN_SAMPLES) : o.minSamples
    const suspected =
      points.length >= needed && slope >= o.growthBytesPerMinute && laterSlope >= o.growthBytesPerMinute / 2 && confidence >= o.minConfidence
    this.trend = { slopeBytesPerMinute: slope, laterSlopeBytesPerMinute: laterSlope, confidence, samples: points.length, samplesNeeded: needed, spanMs, suspected }
    if (!suspected) return
    // Snapshots are taken while the climb lasts (rate-limited on their own), so that there
    // are several to compare; the event is said once per window.
    if (o.snapshotOnLeak) this.snapshotOnLeak(now)
    if (now - this.lastLeakAt < o.windowMs) return
    // With the profiler on, 'leak' waits for it to name a growing site, for a few floors more:
    // its trend test needs profiles of its own. A climb it cannot see (memory outside the JS
    // heap) is still said, without sites, after that.
    const sites = this.profiler ? this.profiler.sites() : null
    if (sites && sites.length === 0 && this.profiler.series.length < PROFILE_WAIT_FLOORS) return
    this.lastLeakAt = now
    const evidence = {
      slopeBytesPerMinute: slope,
      confidence,
      windowMs: spanMs,
      samples: points.map((p) => ({ time: p.time, heapUsed: p.heapUsed })),
      heapUsed: points[points.length - 1].heapUsed,
    }
    if (sites) evidence.sites = sites
    this.emit('leak', evidence)
  }

  /** What stands between the samples so far and a 'leak' event, in words; null once suspected. */
  waitingFor() {
    const o = this.options
    const t = this.trend
    if (t.suspected) return null
    const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB/min`
    if (t.samples < (t.samplesNeeded || o.minSamples)) {
      const needed = t.samplesNeeded || o.minSamples
      return `${needed - t.samples} more heap samples after major GCs (${t.samples} of ${needed} in the window; a climb of ${mb(o.fastGrowthBytesPerMinute)} or more needs ${Math.min(o.minSamples, FAST_MIN_SAMPLES)})`
    }
    if (t.slopeBytesPerMinute < o.growthBytesPerMinute) return `a climb of ${mb(o.growthBytesPerMinute)} (the floor moves ${mb(t.slopeBytesPerMinute)})`
    if (t.laterSlopeBytesPerMinute < o.growthBytesPerMinute / 2) return `the later half of the window to climb too (it moves ${mb(t.laterSlopeBytesPerMinute)}): the climb looks like a warm-up`
    return `a steadier climb: confidence ${t.confidence.toFixed(3)} of the ${o.minConfidence} required`
  }

  snapshotOnLeak(now) {
    const { dir, maxSnapshots, minIntervalMs } = this.options.snapshotOnLeak
    if (this.snapshots.length >= maxSnapshots || now - this.lastSnapshotAt < minIntervalMs) return
    this.lastSnapshotAt = now
    this.writeSnapshot(dir, now).catch((err) => {
      // A full disk, or too little memory for a snapshot, must not take the service down: an
      // 'error' event with no listener throws.
      if (this.listenerCount('error') > 0) this.emit('error', err)
    })
  }

  async writeSnapshot(dir, now) {
    // Counted before the first file only: a count makes V8 forget its object ids, which the
    // files are compared by.
    await checkLocalSnapshotRoom(`monitor's ${ordinal(this.snapshots.length + 1)}`, {
      instead: 'Use monitor({ profile: true }) to see what grows without a snapshot.',
      mayCount: this.snapshots.length === 0,
      memo: this.roomMemo,
    })
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
    const file = path.join(dir, `leakhunt-monitor-${process.pid}-${new Date(now).toISOString().replace(/[:.]/g, '-')}.heapsnapshot`)
    // v8.writeHeapSnapshot, not the inspector: closing an inspector session would renumber
    // objects, and these files are meant to be compared by `leakhunt analyze`.
    v8.writeHeapSnapshot(file)
    fs.chmodSync(file, 0o600)
    this.snapshots.push(file)
    this.emit('snapshot', { file, index: this.snapshots.length, of: this.options.snapshotOnLeak.maxSnapshots })
  }

  /** Plain numbers for a metrics system (Prometheus gauges, OpenTelemetry observables). */
  stats() {
    const m = process.memoryUsage()
    const last = this.samples[this.samples.length - 1]
    return {
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      rss: m.rss,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      heapUsedAfterMajorGc: last ? last.heapUsed : null,
      oldGenerationBytesPerMinute: this.oldGenerationRate,
      gc: Object.fromEntries(Object.entries(this.gc).map(([k, v]) => [k, { ...v }])),
      forcedGcs: this.forcedGcs,
      trend: { ...this.trend },
      waitingFor: this.waitingFor(),
      snapshots: [...this.snapshots],
      ...(this.profiler ? { sites: this.profiler.sites() } : {}),
    }
  }

  stop() {
    if (this.stopped) return
    this.stopped = true
    clearInterval(this.timer)
    this.observer.disconnect()
    if (this.profiler) this.profiler.stop()
  }
}

/**
 * V8's sampling heap profiler in this process (through node:inspector), a profile at each
 * floor, reduced in the Rust core (lib/profile.js, src/sampling.rs) to the allocation sites
 * whose live memory grows. One sample per samplingInterval bytes allocated: no pause.
 */
class SamplingProfiler {
  constructor({ samplingInterval = MONITOR_SAMPLING_INTERVAL } = {}) {
    const inspector = require('node:inspector')
    this.session = new inspector.Session()
    this.session.connect()
    this.series = new binding.ProfileSeries()
    this.samplingInterval = samplingInterval
    this.post('HeapProfiler.enable')
    this.post('HeapProfiler.startSampling', { samplingInterval })
  }

  post(method, params = {}, done = () => {}) {
    this.session.post(method, params, done)
  }

  take(time, onError) {
    this.post('HeapProfiler.getSamplingProfile', {}, (err, answer) => {
      try {
        if (err) throw err
        if (time > this.lastTime || this.lastTime === undefined) callNative(() => this.series.add(time, JSON.stringify(answer.profile)))
        this.lastTime = time
      } catch (e) {
        onError(e)
      }
    })
  }

  forgetBefore(time) {
    this.series.forgetBefore(time)
  }

  /** The growing sites, largest growth first, as 'leak' and stats() carry them. */
  sites() {
    if (this.series.length < 3) return []
    const growth = callNative(() => this.series.growth(PROFILE_GROWTH.minBytesPerMinute, PROFILE_GROWTH.minConfidence, PROFILE_GROWTH.minPoints))
    return profileReport({ growth, calls: 0, samplingInterval: this.samplingInterval }).sites.slice(0, 10)
  }

  stop() {
    this.post('HeapProfiler.stopSampling')
    this.post('HeapProfiler.disable')
    this.session.disconnect()
  }
}

/**
 * Watches this process's heap after major GCs and emits 'leak' when the floor climbs steadily.
 * @param {object} [options] see index.d.ts (MonitorOptions)
 */
function monitor(options) {
  return new Monitor(options)
}

module.exports = { monitor, Monitor, theilSen, mannKendall, DEFAULTS }
