'use strict'
// The human-readable report: one block per leak with its counts and sizes, and the retainer
// path root first, one step a line (the shape MemLab users read fluently).
const { isConsequence } = require('./verdict.js')

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

function where(location) {
  if (!location) return ''
  const script = location.scriptName || `script ${location.scriptId}`
  return ` defined at ${script}:${location.line}:${location.column}`
}


function formatGroup(group, { heading }) {
  const lines = []
  lines.push(`${heading} ${group.name} (${group.kind}${where(group.location)}): ${plural(group.count, 'object')}${perCall(group)}, ${bytes(group.selfSize)} self, ${bytes(group.retainedSize)} retained`)
  lines.push('    retained by:')
  lines.push(...formatPath(group.retainerPath, '      '))
  if (group.sampleIds && group.sampleIds.length) lines.push(`    sample ids: ${group.sampleIds.map((id) => `@${id}`).join(' ')}`)
  return lines.join('\n')
}

const REASONS = {
  'one-time': 'did not grow in a second round of calls (one-time allocation)',
  'not-with-calls': 'grew, but not with the number of calls (activity beside the calls)',
  released: 'released during a second round of calls (bounded or replaced)',
  filtered: 'accepted (leakFilter or ignoreHeldBy)',
  'held-by-non-leaks': 'held only by objects that are not leaks',
}

/** Formats a report from `hunt()` or `analyzeSnapshots()` as text. */
function formatReport(report) {
  const s = report.summary || {}
  const out = []
  const causes = report.leaks.filter((g) => !isConsequence(g))
  const consequences = report.leaks.filter(isConsequence)
  const iterations = s.iterations ? ` over ${plural(s.iterations, 'call')}` : ''
  const also = consequences.length ? ` (and ${plural(consequences.length, 'group')} they hold)` : ''
  out.push(report.leaks.length === 0 ? `leakhunt: no leaks found${iterations}.` : `leakhunt: ${plural(causes.length, 'leak')} found${iterations}${also}:`)
  for (const group of causes) out.push('', formatGroup(group, { heading: '✖' }))
  if (consequences.length) {
    out.push('', 'Held only by the leaks above (they go when those are fixed):')
    for (const group of consequences) out.push(`  ${group.name}: ${plural(group.count, 'object')}${perCall(group)}, ${bytes(group.selfSize)}`)
  }
  const retained = report.retained || []
  if (retained.length) {
    out.push('', `Also alive but not judged leaks (${retained.length}):`)
    for (const group of retained.slice(0, 10)) {
      out.push(`  ${group.name}: ${plural(group.count, 'object')}, ${bytes(group.retainedSize)} — ${REASONS[group.verdict.reason] || group.verdict.reason}`)
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

module.exports = { formatReport, bytes, formatPath }
