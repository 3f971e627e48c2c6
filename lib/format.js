'use strict'
// The human-readable report: one block per growth point (what grows, by how much per call,
// what hangs from it, the cause and the fix), and the retainer path root first, one step a
// line (the shape MemLab users read fluently), on to one of the objects.
const { checkOptions } = require('./errors.js')
const { sourcePosition, frameCall, overCalls, bytes, plural, via, isVariable, defined, growthName, gains, heldList, alongsideList, alongsideWhy, sharedList } = require('./phrases.js')

// ANSI styles, used only when asked (the CLI asks on a TTY without NO_COLOR).
const STYLES = { red: [31, 39], green: [32, 39], bold: [1, 22], dim: [2, 22], cyan: [36, 39] }
const PLAIN = Object.fromEntries(Object.keys(STYLES).map((k) => [k, (s) => s]))
const COLOR = Object.fromEntries(Object.entries(STYLES).map(([k, [on, off]]) => [k, (s) => `\x1b[${on}m${s}\x1b[${off}m`]))

/** Path steps, one a line; `below` continues a path (every step has an edge). */
function formatPath(steps, indent, below = false) {
  if (!below && (!steps || steps.length === 0)) return [`${indent}(no path from the GC roots: held only by weak or internal references)`]
  return (steps || []).map((step, i) => {
    if (step.elided) return `${indent}  … ${step.elided} more steps …`
    if (i === 0 && !below) return `${indent}${step.name}`
    return `${indent}  ${via(step)}${isVariable(step) ? ' (closure variable)' : ''} -> ${step.name}`
  })
}

// Stacks as Node prints them ("at fn (file:line:column)"), so terminals and editors link them.
// V8 records functions, not statements: the position is where each function starts.
const MAX_STACKS = 2
const MAX_FRAMES = 5

function formatStacks(group, paint) {
  const stacks = group.allocationStacks || []
  const lines = []
  for (const stack of stacks.slice(0, MAX_STACKS)) {
    const share = stacks.length > 1 || stack.count !== group.count ? `  (${stack.count} of ${group.count})` : ''
    stack.frames.slice(0, MAX_FRAMES).forEach((frame, i) => {
      const call = frameCall(frame)
      lines.push(paint.cyan(i === 0 ? `    allocated at ${call}${share}` : `        at ${call}`))
    })
  }
  if (stacks.length > MAX_STACKS) lines.push(`    … and ${stacks.length - MAX_STACKS} more allocation stacks`)
  return lines
}


function formatGroup(point, { heading, paint }) {
  const lines = []
  const all = point.count !== point.leadingCount ? `${plural(point.count, 'object')} in all` : plural(point.count, 'object')
  lines.push(`${paint.red(heading)} ${paint.bold(growthName(point))} ${gains(point)}${defined(point)}: ${all}, ${bytes(point.selfSize)} self, ${bytes(point.retainedSize)} retained`)
  if (point.breakdown && point.breakdown.length > 1) lines.push(`    holds: ${heldList(point)}`)
  if (point.alongside && point.alongside.length) lines.push(`    grows alongside (${alongsideWhy(point)}): ${alongsideList(point)}`)
  if (point.sharedWith && point.sharedWith.length) lines.push(`    also held by: ${sharedList(point)} (the same objects, counted once)`)
  if (point.cause && point.cause.pattern !== 'unknown') {
    lines.push(paint.bold(`    cause: ${point.cause.title}`) + ` — ${point.cause.detail}`)
    if (point.cause.hint) lines.push(`    fix: ${point.cause.hint}`)
  } else if (point.cause) {
    lines.push(`    cause: ${point.cause.detail}`)
  }
  lines.push('    retained by:')
  lines.push(...formatPath(point.retainerPath, '      '))
  if (point.samplePath && point.samplePath.length) {
    lines.push(paint.dim(`      (grows here; on to one ${point.name}:)`))
    lines.push(...formatPath(point.samplePath, '      ', true))
  }
  lines.push(...formatStacks(point, paint))
  if (point.sampleIds && point.sampleIds.length) lines.push(paint.dim(`    sample ids: ${point.sampleIds.map((id) => `@${id}`).join(' ')}`))
  return lines.join('\n')
}

const REASONS = {
  'one-time': 'did not grow in a second round of calls (one-time allocation)',
  'not-with-calls': 'grew, but not with the number of calls (activity beside the calls)',
  released: 'released during a second round of calls (bounded or replaced)',
  filtered: 'accepted (leakFilter or ignoreHeldBy)',
  single: 'one object over all the calls: not growing with them (no second round to check)',
  unconfirmed: 'fewer than one per four calls, and no second round to confirm it: unconfirmed growth (hunt with confirm, or pass a fourth snapshot)',
  bounded: 'held by a buffer of Node with a fixed cap, not a leak',
  churn: 'new objects in place of old ones: the holder kept as many entries through a second round of calls (a full buffer or cache)',
}

/**
 * Formats a report from `hunt()` or `analyzeSnapshots()` as text.
 * @param {{ color?: boolean }} [options] ANSI colours (default off)
 */
function formatReport(report, options) {
  const paint = checkOptions(options, { color: false }, 'formatReport').color ? COLOR : PLAIN
  const s = report.summary || {}
  const out = []
  const iterations = overCalls(s)
  const listenersOnly = report.leaks.length === 0 && (report.listenerGrowth || []).length > 0
  out.push(
    listenersOnly
      ? paint.bold(`leakhunt: listeners pile up${iterations}, with no other objects left behind:`)
      : report.leaks.length === 0
      ? paint.green(`leakhunt: no leaks found${iterations}.`)
      : paint.bold(`leakhunt: ${plural(report.leaks.length, 'leak')} found${iterations}:`),
  )
  for (const point of report.leaks) out.push('', formatGroup(point, { heading: '✖', paint }))
  const listeners = report.listenerGrowth || []
  if (listeners.length) {
    out.push('', 'Listeners that grow with the calls:')
    for (const g of listeners) {
      const holder = g.retainerPath && g.retainerPath.length > 1 ? ` (${g.retainerPath[g.retainerPath.length - 1].edge})` : ''
      out.push(`  ${g.emitter}${holder} '${g.event}': ${g.before} → ${g.after} listeners, ${Number.isInteger(g.perCall) ? g.perCall : g.perCall.toFixed(2)} per call`)
    }
  }
  const retained = report.retained || []
  if (retained.length) {
    out.push('', `Also alive but not judged leaks (${retained.length}):`)
    for (const group of retained.slice(0, 10)) {
      const { reason, bound } = group.verdict
      const why = bound ? `held by ${bound.holder}, which stops at ${bound.cap} entries: not a leak` : REASONS[reason] || reason
      out.push(`  ${growthName(group)}: ${plural(group.count, 'object')} (${heldList(group, 2)}), ${bytes(group.retainedSize)} — ${why}`)
    }
    if (retained.length > 10) out.push(`  … and ${retained.length - 10} more`)
  }
  if (s.final) {
    const heap = s.heapUsed
      ? `heap used ${bytes(s.heapUsed.baseline)} → ${bytes(s.heapUsed.target)} → ${bytes(s.heapUsed.final)}; `
      : ''
    // A walk counts heap objects, a snapshot its nodes: a walk's count is left out of the row.
    const count = (at) => (at.bytes === 0 && /^a heap walk/.test(at.source) ? 'walked' : at.nodeCount.toLocaleString('en-US'))
    out.push('', `${heap}objects ${count(s.baseline)} → ${count(s.target)} → ${count(s.final)} (baseline → target → final)`)
  }
  if (s.attached && s.attached.memoryCheck === 'unknown') {
    out.push(`the target's free memory could not be read: snapshots were taken without checking that they fit`)
  }
  const maps = s.sourceMaps
  if (maps && maps.mapped > 0) out.push(`positions in your source: ${plural(maps.mapped, 'position')} mapped through ${plural(maps.maps, 'source map')}`)
  for (const note of (maps && maps.notes) || []) out.push(`source map ignored: ${note}`)
  if (s.phasesMs) {
    const total = Object.values(s.phasesMs).reduce((a, b) => a + b, 0)
    out.push(`took ${(total / 1000).toFixed(1)} s: ${Object.entries(s.phasesMs).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`).join(', ')}`)
  }
  return out.join('\n')
}

module.exports = { formatReport, bytes, formatPath, sourcePosition }
