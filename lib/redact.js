'use strict'
// `redact`: reports that say nothing of what the heap's strings contain. Reports already cut
// every heap string to 40 characters; heaps hold tokens and passwords, and some users cannot
// show even that much (a report attached to a public issue, a CI log). Redacted, a string is
// its kind and length, and a property name that is not a plain identifier (a dictionary key
// such as a session token) is its length.
const STRING_TYPES = new Set(['string', 'concatenated string', 'sliced string'])
const IDENTIFIER = /^[A-Za-z_$][\w$]{0,63}$/

function redactStep(step) {
  if (STRING_TYPES.has(step.nodeType)) step.name = '"…" (string, redacted)'
  if (step.edge && step.edgeType === 'property' && !IDENTIFIER.test(step.edge) && !/^<symbol [\w$ ]{0,64}>$/.test(step.edge)) {
    step.edge = `[key of ${step.edge.length} chars, redacted]`
  }
  if (step.key && step.key.startsWith('"')) step.key = '"…" (string key, redacted)'
}

/** Redacts a report from hunt() or analyzeSnapshots() in place, and returns it. */
function redact(report) {
  const groups = [...(report.leaks || []), ...(report.retained || [])]
  for (const group of groups) for (const step of [...(group.retainerPath || []), ...(group.samplePath || [])]) redactStep(step)
  for (const g of report.listenerGrowth || []) {
    for (const step of g.retainerPath || []) redactStep(step)
    if (!IDENTIFIER.test(g.event)) g.event = `[event of ${g.event.length} chars, redacted]`
  }
  if (report.summary) report.summary.redacted = true
  return report
}

module.exports = { redact }
