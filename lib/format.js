'use strict'
// The human-readable report: one block per leak with its counts and sizes, and the retainer
// path root first, one step a line (the shape MemLab users read fluently).
const { isConsequence } = require('./verdict.js')
const { checkOptions } = require('./errors.js')

function bytes(n) {
  if (n < 1024) return `${n} B`
  const units = ['kB', 'MB', 'GB']
  let v = n / 1024
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`
}

// ANSI styles, used only when asked (the CLI asks on a TTY without NO_COLOR).
const STYLES = { red: [31, 39], green: [32, 39], bold: [1, 22], dim: [2, 22], cyan: [36, 39] }
const PLAIN = Object.fromEntries(Object.keys(STYLES).map((k) => [k, (s) => s]))
const COLOR = Object.fromEntries(Object.entries(STYLES).map(([k, [on, off]]) => [k, (s) => `\x1b[${on}m${s}\x1b[${off}m`]))

const plural = (n, word) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`

function perCall(group) {
  const c = group.countPerIteration
  if (c === null || c === undefined) return ''
  if (c >= 1) return `, ${Number.isInteger(c) ? c : c.toFixed(2)} per call`
  return `, 1 per ${Math.round(1 / c)} calls`
}

function formatPath(steps, indent) {
  if (!steps || steps.length === 0) return [`${indent}(no path from the GC roots: held only by weak or internal references)`]
  return steps.map((step, i) => {
    if (step.elided) return `${indent}  … ${step.elided} more steps …`
    if (i === 0) return `${indent}${step.name}`
    const via = step.edgeType === 'element' || step.edgeType === 'hidden' ? step.edge : `.${step.edge}`
    const kind = step.edgeType === 'context' ? ' (closure variable)' : ''
    return `${indent}  ${via}${kind} -> ${step.name}`
  })
}

function sourcePosition(place) {
  if (!place.scriptName && !place.line) return place.scriptId ? `script ${place.scriptId}` : 'native'
  const script = place.scriptName || `script ${place.scriptId}`
  return place.line ? `${script}:${place.line}:${place.column}` : script
}

function where(group) {
  if (!group.location) return ''
  return `${group.kind === 'closure' ? ' defined at' : ', class at'} ${sourcePosition(group.location)}`
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
      const call = `${frame.functionName || '(anonymous)'} (${sourcePosition(frame)})`
      lines.push(paint.cyan(i === 0 ? `    allocated at ${call}${share}` : `        at ${call}`))
    })
  }
  if (stacks.length > MAX_STACKS) lines.push(`    … and ${stacks.length - MAX_STACKS} more allocation stacks`)
  return lines
}


function formatGroup(group, { heading, paint }) {
  const lines = []
  lines.push(`${paint.red(heading)} ${paint.bold(group.name)} (${group.kind}${where(group)}): ${plural(group.count, 'object')}${perCall(group)}, ${bytes(group.selfSize)} self, ${bytes(group.retainedSize)} retained`)
  if (group.cause && group.cause.pattern !== 'unknown') {
    lines.push(paint.bold(`    cause: ${group.cause.title}`) + ` — ${group.cause.detail}`)
    if (group.cause.hint) lines.push(`    fix: ${group.cause.hint}`)
  }
  lines.push('    retained by:')
  lines.push(...formatPath(group.retainerPath, '      '))
  lines.push(...formatStacks(group, paint))
  if (group.sampleIds && group.sampleIds.length) lines.push(paint.dim(`    sample ids: ${group.sampleIds.map((id) => `@${id}`).join(' ')}`))
  return lines.join('\n')
}

const REASONS = {
  'one-time': 'did not grow in a second round of calls (one-time allocation)',
  'not-with-calls': 'grew, but not with the number of calls (activity beside the calls)',
  released: 'released during a second round of calls (bounded or replaced)',
  filtered: 'accepted (leakFilter or ignoreHeldBy)',
  'held-by-non-leaks': 'held only by objects that are not leaks',
  bounded: 'held by a buffer of Node with a fixed cap, not a leak',
}

/**
 * Formats a report from `hunt()` or `analyzeSnapshots()` as text.
 * @param {{ color?: boolean }} [options] ANSI colours (default off)
 */
function formatReport(report, options) {
  const paint = checkOptions(options, { color: false }, 'formatReport').color ? COLOR : PLAIN
  const s = report.summary || {}
  const out = []
  const causes = report.leaks.filter((g) => !isConsequence(g))
  const consequences = report.leaks.filter(isConsequence)
  const iterations = s.iterations ? ` over ${plural(s.iterations, 'call')}` : ''
  const also = consequences.length ? ` (and ${plural(consequences.length, 'group')} they hold)` : ''
  const listenersOnly = report.leaks.length === 0 && (report.listenerGrowth || []).length > 0
  out.push(
    listenersOnly
      ? paint.bold(`leakhunt: listeners pile up${iterations}, with no other objects left behind:`)
      : report.leaks.length === 0
      ? paint.green(`leakhunt: no leaks found${iterations}.`)
      : paint.bold(`leakhunt: ${plural(causes.length, 'leak')} found${iterations}${also}:`),
  )
  for (const group of causes) out.push('', formatGroup(group, { heading: '✖', paint }))
  if (consequences.length) {
    out.push('', 'Held only by the leaks above (they go when those are fixed):')
    for (const group of consequences) out.push(`  ${group.name}: ${plural(group.count, 'object')}${perCall(group)}, ${bytes(group.selfSize)}`)
  }
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
      out.push(`  ${group.name}: ${plural(group.count, 'object')}, ${bytes(group.retainedSize)} — ${why}`)
    }
    if (retained.length > 10) out.push(`  … and ${retained.length - 10} more`)
  }
  if (s.final) {
    const heap = s.heapUsed
      ? `heap used ${bytes(s.heapUsed.baseline)} → ${bytes(s.heapUsed.target)} → ${bytes(s.heapUsed.final)}; `
      : ''
    out.push('', `${heap}objects ${s.baseline.nodeCount.toLocaleString('en-US')} → ${s.target.nodeCount.toLocaleString('en-US')} → ${s.final.nodeCount.toLocaleString('en-US')} (baseline → target → final)`)
  }
  if (s.phasesMs) {
    const total = Object.values(s.phasesMs).reduce((a, b) => a + b, 0)
    out.push(`took ${(total / 1000).toFixed(1)} s: ${Object.entries(s.phasesMs).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`).join(', ')}`)
  }
  return out.join('\n')
}

module.exports = { formatReport, bytes, formatPath, sourcePosition }
