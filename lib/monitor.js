'use strict'
// Watching a running service for a leak. Heap used sampled on a clock is GC sawtooth: it
// climbs between collections whatever the program does. The signal is the heap right after
// each *major* GC, when only live objects remain; a leak makes that floor climb. The trend
// over a sliding window is fitted robustly (Theil–Sen slope, Mann–Kendall test), so a few
// odd samples do not make a leak, and warm-up (a climb that levels off) slides out of the
// window. No timer: the monitor only wakes when V8 reports a GC.
const { EventEmitter } = require('node:events')
const fs = require('node:fs')
const path = require('node:path')
const v8 = require('node:v8')
const { PerformanceObserver, constants } = require('node:perf_hooks')
const { invalidArg } = require('./errors.js')

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
  // One-sided Mann–Kendall z for p < 0.01: the climb is not chance.
  minConfidence: 0.99,
  maxSamples: 500,
}

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

/** Confidence (0..1) that the series rises, from the Mann–Kendall S statistic (no ties correction). */
function mannKendall(points) {
  const n = points.length
  let s = 0
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += Math.sign(points[j].heapUsed - points[i].heapUsed)
  const variance = (n * (n - 1) * (2 * n + 5)) / 18
  if (variance === 0) return 0
  const z = s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0
  return normalCdf(z)
}

// Abramowitz–Stegun 26.2.17; plenty for a confidence threshold.
function normalCdf(z) {
  const t = 1 / (1 + 0.2316419 * Math.abs(z))
  const d = 0.3989422804014327 * Math.exp((-z * z) / 2)
  const p = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))))
  return z > 0 ? 1 - p : p
}

function checkOptions(options) {
  if (options === undefined || options === null) options = {}
  if (typeof options !== 'object') throw invalidArg('options', 'an object', options)
  const o = { ...DEFAULTS, ...options }
  for (const name of ['windowMs', 'growthBytesPerMinute']) {
    if (typeof o[name] !== 'number' || !(o[name] > 0)) throw invalidArg(`options.${name}`, 'a positive number', o[name])
  }
  for (const name of ['minSamples', 'maxSamples']) {
    if (!Number.isInteger(o[name]) || o[name] < 3) throw invalidArg(`options.${name}`, 'an integer >= 3', o[name])
  }
  if (typeof o.minConfidence !== 'number' || !(o.minConfidence > 0.5 && o.minConfidence < 1)) {
    throw invalidArg('options.minConfidence', 'a number between 0.5 and 1', o.minConfidence)
  }
  if (o.snapshotOnLeak !== undefined) {
    const s = o.snapshotOnLeak
    if (!s || typeof s !== 'object' || typeof s.dir !== 'string') throw invalidArg('options.snapshotOnLeak', 'an object with a dir', s)
    o.snapshotOnLeak = { maxSnapshots: 3, minIntervalMs: 5 * 60_000, ...s }
    if (!Number.isInteger(o.snapshotOnLeak.maxSnapshots) || o.snapshotOnLeak.maxSnapshots < 1) {
      throw invalidArg('options.snapshotOnLeak.maxSnapshots', 'a positive integer', o.snapshotOnLeak.maxSnapshots)
    }
  }
  return o
}

class Monitor extends EventEmitter {
  constructor(options) {
    super()
    this.options = checkOptions(options)
    this.samples = []
    this.gc = Object.fromEntries(Object.values(KINDS).map((k) => [k, { count: 0, totalMs: 0 }]))
    this.lastLeakAt = -Infinity
    this.snapshots = []
    this.lastSnapshotAt = -Infinity
    this.trend = { slopeBytesPerMinute: 0, confidence: 0, samples: 0, spanMs: 0, suspected: false }
    this.observer = new PerformanceObserver((list) => this.onEntries(list.getEntries()))
    this.observer.observe({ entryTypes: ['gc'] })
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

  record() {
    const m = process.memoryUsage()
    const sample = { time: Date.now(), heapUsed: m.heapUsed, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers }
    this.samples.push(sample)
    const cutoff = sample.time - this.options.windowMs
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
    const suspected =
      points.length >= o.minSamples && slope >= o.growthBytesPerMinute && laterSlope >= o.growthBytesPerMinute / 2 && confidence >= o.minConfidence
    this.trend = { slopeBytesPerMinute: slope, laterSlopeBytesPerMinute: laterSlope, confidence, samples: points.length, spanMs, suspected }
    if (!suspected) return
    // Snapshots are taken while the climb lasts (rate-limited on their own), so that there
    // are several to compare; the event is said once per window.
    if (o.snapshotOnLeak) this.snapshotOnLeak(now)
    if (now - this.lastLeakAt < o.windowMs) return
    this.lastLeakAt = now
    const evidence = {
      slopeBytesPerMinute: slope,
      confidence,
      windowMs: spanMs,
      samples: points.map((p) => ({ time: p.time, heapUsed: p.heapUsed })),
      heapUsed: points[points.length - 1].heapUsed,
    }
    this.emit('leak', evidence)
  }

  snapshotOnLeak(now) {
    const { dir, maxSnapshots, minIntervalMs } = this.options.snapshotOnLeak
    if (this.snapshots.length >= maxSnapshots || now - this.lastSnapshotAt < minIntervalMs) return
    this.lastSnapshotAt = now
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
      const file = path.join(dir, `leakhunt-monitor-${process.pid}-${new Date(now).toISOString().replace(/[:.]/g, '-')}.heapsnapshot`)
      // v8.writeHeapSnapshot, not the inspector: closing an inspector session would renumber
      // objects, and these files are meant to be compared by `leakhunt analyze`.
      v8.writeHeapSnapshot(file)
      fs.chmodSync(file, 0o600)
      this.snapshots.push(file)
      this.emit('snapshot', { file, index: this.snapshots.length, of: maxSnapshots })
    } catch (err) {
      // A full disk must not take the service down: an 'error' event with no listener throws.
      if (this.listenerCount('error') > 0) this.emit('error', err)
    }
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
      gc: Object.fromEntries(Object.entries(this.gc).map(([k, v]) => [k, { ...v }])),
      trend: { ...this.trend },
      snapshots: [...this.snapshots],
    }
  }

  stop() {
    if (this.stopped) return
    this.stopped = true
    this.observer.disconnect()
  }
}

/**
 * Watches this process's heap after major GCs and emits 'leak' when the floor climbs steadily.
 * @param {object} [options] see index.d.ts (MonitorOptions)
 */
function monitor(options) {
  return new Monitor(options)
}

module.exports = { monitor, Monitor, theilSen, mannKendall }
