'use strict'
// The phrases the text and the HTML reports share, written once: how a rate per call reads,
// how a path step's edge reads, where code is, and what a growth point holds.

/**
 * "src/orders.ts:3:14", and where a source map moved it, the code V8 ran after it:
 * "src/orders.ts:3:14 (generated dist/orders.js:5:14)", "app.js:11:14 (generated 14:14)".
 */
function sourcePosition(place) {
  const ran = generatedPosition(place)
  return ran ? `${position(place)} (${ran})` : position(place)
}

function position(place) {
  if (!place.scriptName && !place.line) return place.scriptId ? `script ${place.scriptId}` : 'native'
  const script = place.scriptName || `script ${place.scriptId}`
  return place.line ? `${script}:${place.line}:${place.column}` : script
}

/** "generated dist/orders.js:5:14" (the script's name left out when the map kept it), or ''. */
function generatedPosition(place) {
  const ran = place.generated
  if (!ran) return ''
  const script = ran.scriptName && ran.scriptName !== place.scriptName ? `${ran.scriptName}:` : ''
  return `generated ${script}${ran.line}:${ran.column}`
}

/**
 * " over 20 calls"; for an attach hunt with no action, " over 20 s of the target's own
 * traffic (a call is a second)". Empty when the number of calls is unknown.
 */
function overCalls(summary) {
  if (!summary || !summary.iterations) return ''
  const { attached } = summary
  if (attached && /^wait /.test(attached.action)) return ` over ${count(summary.iterations)} s of the target's own traffic (each "call" is a second)`
  return ` over ${plural(summary.iterations, 'call')}`
}

/** A stack frame as Node's traces print it: "placeOrder (src/orders.ts:20:27; generated dist/orders.js:16:20)". */
function frameCall(frame) {
  const ran = generatedPosition(frame)
  return `${frame.functionName || '(anonymous)'} (${position(frame)}${ran ? `; ${ran}` : ''})`
}

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

const count = (n) => n.toLocaleString('en-US')
const plural = (n, word) => `${count(n)} ${word}${n === 1 ? '' : 's'}`

const STRING_KINDS = new Set(['string', 'concatenated string', 'sliced string'])

/** What a value that grows in bytes is, by its form (values::ValueForm). */
const VALUE_PHRASES = {
  string: () => 'one string, longer after every call',
  view: (name) => `one ${name}, replaced by a bigger copy on every call`,
  arrayBuffer: () => 'one ArrayBuffer, replaced by a bigger copy on every call',
  numbers: () => 'an Array of numbers, longer after every call',
}

/** How many calls a growth point was measured over (its count over its rate), or null when unknown. */
function callsOf(point) {
  return point.countPerIteration && point.leadingCount ? point.leadingCount / point.countPerIteration : null
}

/** "3 per call", "1 every 4 calls", or null when the number of calls is unknown. */
function rate(point) {
  const c = point.countPerIteration
  if (c === null || c === undefined) return null
  if (c >= 1) return `${Number.isInteger(c) ? c : c.toFixed(2)} per call`
  // Near one per call (a call whose object went elsewhere), a rate reads better than "every 1".
  if (c > 0.66) return `${c.toFixed(2)} per call`
  return `1 every ${Math.round(1 / c)} calls`
}

/** How a path step's edge reads: `[3]` for an element, `.get("k")` for a Map value, `.name` otherwise. */
function via(step) {
  if (step.key !== undefined && step.key !== null) return `${step.edge} (key ${step.key})`
  return /^\[.*\]$/.test(step.edge) || /^\d+$/.test(step.edge) ? step.edge.replace(/^(\d+)$/, '[$1]') : `.${step.edge}`
}

const isVariable = (step) => step.edgeType === 'context'

/** Where the leading class comes from: " defined at f.js:3:5" or ", class at f.js:1:1". */
function defined(point) {
  if (!point.location) return ''
  return `${point.kind === 'closure' ? ' defined at' : ', class at'} ${sourcePosition(point.location)}`
}

/** The holder as its user would write it (set by the diagnosis), else its class. */
const growthName = (point) => (point.holder && (point.holder.label || point.holder.name)) || point.name

/** "gains 1 PluginHandle per call" / "gains 20 PluginHandle". */
function gains(point) {
  // A value that grows in bytes, not in objects: its bytes per call, and what it is.
  const grown = point.bytesGrowth
  if (grown) return `grows by ${bytes(Math.round(grown.perCall))} per call (${VALUE_PHRASES[grown.form](grown.value)})`
  // One string, longer after every call (`log += line`): its bytes grow, not a count of entries.
  const calls = Math.round(callsOf(point) || 0)
  if (STRING_KINDS.has(point.kind) && point.leadingCount <= 1 && calls > 1 && point.count >= calls) {
    return `grows by ${bytes(Math.round(point.selfSize / calls))} per call (one string, appended to on every call)`
  }
  const r = rate(point)
  return r ? `gains ${r.replace(/ per call| every/, (m) => ` ${point.name}${m}`)}` : `gains ${count(point.leadingCount || point.count)} ${point.name}`
}

/** What hangs from a growth point, most numerous first: "20 PluginHandle (1.2 kB), 20 (string) (640 B)". */
function heldList(point, max = 5) {
  const classes = point.breakdown || []
  const shown = classes.slice(0, max).map((c) => {
    const where = programClassAt(point, c)
    return `${count(c.count)} ${c.name} (${bytes(c.selfSize)}${where ? `, class at ${where}` : ''})`
  })
  if (classes.length > max) shown.push(`${classes.length - max} more ${classes.length - max === 1 ? 'class' : 'classes'}`)
  return shown.join(', ')
}

/**
 * Where a held class other than the lead is defined, when the program defines it (a class of
 * its own, not Node's or the engine's): "invoices.html:2:3". Null otherwise.
 */
function programClassAt(point, c) {
  const at = c.location
  if (!at || c.kind !== 'object' || !at.line || !at.scriptName || /^node:/.test(at.scriptName)) return null
  if (point.location && c.name === point.name) return null
  return sourcePosition(at)
}

/** Sibling holders gathered into a growth point: "….inline gains 1 tokenizer() per call, …". */
function alongsideList(point) {
  return (point.alongside || []).map((a) => `${growthName(a)} ${gains(a)}`).join('; ')
}

function article(noun) {
  return `${/^[AEIOU]/.test(noun) ? 'an' : 'a'} ${noun}`
}

/** Why `alongside` entries are one leak with their lead: "properties of one object". */
function alongsideWhy(point) {
  const pattern = point.cause && point.cause.pattern
  if (pattern === 'open-resource') return "each Worker's stdio, piped into this process's"
  if (pattern === 'module-cache') return 'the same modules, kept elsewhere by the loader and by Node'
  return 'properties of one object'
}

/** The other holders of a growth point's objects: `auditTrail` (an Array). */
function sharedList(point) {
  return (point.sharedWith || []).map((s) => `\`${s.holder.label}\` (${article(s.holder.name)})`).join(', ')
}

/** Where the reference that keeps a group of test files was made: one place, or each file's own code. */
function madeAtText(g) {
  if (!g.madeAt) return ''
  const at = `${g.madeAt.scriptName}:${g.madeAt.line}:${g.madeAt.column}`
  return g.files.length > 1 && g.madeAt.scriptName === g.files[0] ? `, made in each file's own code (${at})` : `, made at ${at}`
}

module.exports = { callsOf, programClassAt, article, alongsideWhy, sharedList, sourcePosition, frameCall, overCalls, bytes, count, plural, rate, via, isVariable, defined, growthName, gains, heldList, alongsideList, madeAtText }
