'use strict'
// What grows, without a snapshot: V8's sampling heap profiler (HeapProfiler.startSampling)
// records one allocation per `samplingInterval` bytes with the JS stack that made it, and
// forgets a sample when the GC collects its object. Profiles taken over time are reduced in
// the Rust core (src/sampling.rs) to each allocation site's live bytes, judged with the trend
// test monitor() uses. No pause, no copy of the heap: what a snapshot cannot do on a big heap.
const binding = require('./binding.js')
const { callNative } = require('./errors.js')
const { bytes, plural, count, frameCall } = require('./phrases.js')
const { mapPlaces } = require('./source-maps.js')

const PROFILE_SCHEMA_VERSION = 1
// One sample per 128 KiB allocated: 8 samples per MB, so a site's estimate from n samples is off
// by about 1/sqrt(n). V8's 32 KiB default, with a profile a second, cost a CPU-bound service 16 %
// more CPU per request (bench/profile.js): the sampling and the profiles are what a run costs.
const SAMPLING_INTERVAL = 128 * 1024
// Profiles over the duration: enough points for the trend test, few enough to cost little
// (V8 collects garbage before each answer).
const PROFILES_PER_RUN = 12
const MIN_PROFILE_INTERVAL_MS = 250
const GROWTH = { minBytesPerMinute: 256 * 1024, minConfidence: 0.99, minPoints: 5 }

/**
 * Samples a heap for `durationMs` while `act` runs over and over (or the target's own traffic
 * when `act` is null), and judges each allocation site's live bytes.
 * `call(method, params)`: an inspector command, answered with its result as JSON text.
 */
async function profileGrowth({ call, act, durationMs, samplingInterval = SAMPLING_INTERVAL, signal, onProgress }) {
  const series = new binding.ProfileSeries()
  const every = Math.max(MIN_PROFILE_INTERVAL_MS, Math.round(durationMs / PROFILES_PER_RUN))
  await call('HeapProfiler.enable', {})
  await call('HeapProfiler.startSampling', { samplingInterval })
  const started = performance.now()
  let calls = 0
  let failure = null
  let stopped = false
  const loop = act
    ? (async () => {
        while (!stopped) {
          await act()
          calls++
        }
      })().catch((err) => {
        failure = err
      })
    : Promise.resolve()
  try {
    for (let k = 0; ; k++) {
      const at = performance.now() - started
      const answer = await call('HeapProfiler.getSamplingProfile', {})
      callNative(() => series.add(at, answer))
      if (onProgress) onProgress({ phase: 'profile', iteration: Math.min(k, PROFILES_PER_RUN), of: PROFILES_PER_RUN })
      if (failure || at >= durationMs || (signal && signal.aborted)) break
      const next = Math.min(every * (k + 1), durationMs) - (performance.now() - started)
      if (next > 0) await new Promise((resolve) => setTimeout(resolve, next))
    }
  } finally {
    stopped = true
    await loop
    await call('HeapProfiler.stopSampling', {}).catch(() => {})
  }
  if (failure) throw failure
  if (signal && signal.aborted) throw signal.reason || new Error('aborted')
  const growth = callNative(() => series.growth(GROWTH.minBytesPerMinute, GROWTH.minConfidence, GROWTH.minPoints))
  return { growth, calls, samplingInterval, elapsedMs: performance.now() - started, series }
}

/**
 * What each allocation stack gained from the first profile to the last, as a speedscope file
 * (https://www.speedscope.app, "sampled" profile weighed in bytes): the growth as a flame graph.
 */
function toSpeedscope(series, name = 'leakhunt: live memory gained') {
  const gains = callNative(() => series.difference())
  const frames = []
  const index = new Map()
  const frameOf = (f) => {
    const key = `${f.functionName}\u0000${f.scriptName}\u0000${f.line}\u0000${f.column}`
    if (!index.has(key)) {
      index.set(key, frames.length)
      frames.push({ name: f.functionName || '(anonymous)', file: f.scriptName || undefined, line: f.line > 0 ? f.line : undefined, col: f.column > 0 ? f.column : undefined })
    }
    return index.get(key)
  }
  // speedscope stacks run from the root to the leaf; ours are innermost first.
  const samples = gains.map((g) => [...g.stack].reverse().map(frameOf))
  const weights = gains.map((g) => Math.round(g.bytes))
  return {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames },
    profiles: [{ type: 'sampled', name, unit: 'bytes', startValue: 0, endValue: weights.reduce((a, b) => a + b, 0), samples, weights }],
    name,
    exporter: 'leakhunt',
  }
}

/** A self-contained HTML page of a profile run's report. */
function renderProfileHtml(report, { generatedAt } = {}) {
  const { esc } = require('./html.js')
  const rows = report.sites
    .map(
      (s) => `<tr><td>${esc(frameText(s.location))}</td><td class="n">${esc(bytes(s.bytesPerMinute))}/min</td><td class="n">${esc(bytes(s.liveBytes))}</td><td class="n">${count(s.samples)} (±${errorOf(s.samples)} %)</td><td><ol>${s.stack
        .slice(0, 8)
        .map((f) => `<li>${esc(frameText(f))}</li>`)
        .join('')}</ol></td></tr>`,
    )
    .join('')
  const text = formatProfileReport(report).split('\n').pop()
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>leakhunt: growing allocation sites</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}.n{text-align:right}ol{margin:0;padding-left:1.2em}.muted{color:#666}</style></head><body>
<h1>${report.sites.length ? `${esc(plural(report.sites.length, 'allocation site'))} ${report.sites.length === 1 ? 'grows' : 'grow'}` : 'No allocation site grows'}</h1>
<p class="muted">${esc(text)}${generatedAt ? `; generated ${esc(generatedAt)}` : ''}</p>
${rows ? `<table><thead><tr><th>site</th><th>growth</th><th>live now</th><th>samples</th><th>allocated at</th></tr></thead><tbody>${rows}</tbody></table>` : ''}
</body></html>
`
}

/** The report of a profile run: `sites` that grow, largest growth first. */
function profileReport({ growth, calls, samplingInterval }, extra = {}) {
  const sites = growth.sites.map((s) => ({
    location: s.location,
    stack: s.stack,
    bytesPerMinute: Math.round(s.bytesPerMinute),
    liveBytes: Math.round(s.liveBytes),
    firstLiveBytes: Math.round(s.firstLiveBytes),
    samples: s.samples,
    confidence: s.confidence,
  }))
  // Positions through the source maps beside the scripts (TypeScript, bundles), as for
  // snapshots; the code V8 ran is kept as `generated`.
  const sourceMaps = mapPlaces(sites.flatMap((s) => [s.location, ...s.stack]))
  return {
    schemaVersion: PROFILE_SCHEMA_VERSION,
    kind: 'profile',
    sites,
    summary: {
      growing: sites.length,
      profiles: growth.profiles,
      durationMs: Math.round(growth.durationMs),
      samplingInterval,
      sitesSeen: growth.sitesSeen,
      liveBytes: { first: Math.round(growth.firstLiveBytes), last: Math.round(growth.lastLiveBytes) },
      calls: calls || null,
      snapshot: false,
      sourceMaps,
      ...extra,
    },
  }
}

// A frame as Node's traces print it, with the generated position when a source map moved it.
const frameText = (f) => frameCall(f)

/** The relative sampling error of an estimate from n samples, as a percentage. */
const errorOf = (samples) => (samples > 0 ? Math.round(100 / Math.sqrt(samples)) : 100)

function formatProfileReport(report) {
  const s = report.summary
  const over = `${(s.durationMs / 1000).toFixed(0)} s of sampled heap profiles (${plural(s.profiles, 'profile')}${s.calls ? `, ${plural(s.calls, 'call')}` : ", the target's own traffic"})`
  const lines = []
  if (report.sites.length === 0) {
    lines.push(`leakhunt: no allocation site grows over ${over}.`)
  } else {
    lines.push(`leakhunt: ${plural(report.sites.length, 'allocation site')} ${report.sites.length === 1 ? 'grows' : 'grow'} over ${over}:`, '')
    for (const site of report.sites) {
      lines.push(`✖ ${frameText(site.location)} grows ${bytes(site.bytesPerMinute)}/min: ${bytes(site.liveBytes)} live now (an estimate from ${plural(site.samples, 'sample')}, ±${errorOf(site.samples)} %), ${bytes(site.firstLiveBytes)} at first`)
      lines.push('    allocated at:')
      for (const f of site.stack.slice(0, 8)) lines.push(`      ${frameText(f)}`)
      lines.push('')
    }
  }
  lines.push(`live sampled memory ${bytes(s.liveBytes.first)} → ${bytes(s.liveBytes.last)} across ${count(s.sitesSeen)} allocation sites; one sample per ${bytes(s.samplingInterval)} allocated; no heap snapshot taken`)
  return lines.join('\n')
}

module.exports = { GROWTH, profileGrowth, profileReport, formatProfileReport, renderProfileHtml, toSpeedscope, SAMPLING_INTERVAL, PROFILE_SCHEMA_VERSION }
