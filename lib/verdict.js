'use strict'
// Which surviving groups are leaks. The three snapshots say what was created by the calls and
// is still alive; a second round with twice as many calls says whether it grows *with the
// number of calls*:
//   - a leak keeps (nearly) all of round one's objects through round two (checked by id), and
//     round two adds about twice as many of the same class;
//   - activity beside the calls (a test runner's reporter writing to its parent, a library's
//     timer) leaves about as many objects per round whatever the number of calls;
//   - one-time growth (a lazy singleton, a cache filled once, code warmed by the calls) adds
//     nothing in round two;
//   - bounded structures (an LRU at capacity, replaced entries) release round one's objects
//     during round two, or, when round two is too short to reach round one's (a ring of 64
//     slots), hold as many entries at its end as at its start: new objects in place of old
//     ones are churn, not growth (BLeak's test: a leak is a location whose outgoing
//     references keep increasing).

/** Share of round one's objects that must still be alive after round two. */
const MIN_PERSISTED = 0.9
/** Round two makes this many times as many calls as round one. */
const SECOND_ROUND_FACTOR = 2
/**
 * Round two must add more than round one did, and at least this share of round one's count:
 * a leak adds about SECOND_ROUND_FACTOR times as many, a constant trickle about as many. The
 * margin below 2 absorbs the rounding of sparse leaks (every k-th call: floor or ceiling of
 * calls/k per round).
 */
const MIN_GROWTH = 1.5
/**
 * A holder whose entries grew over round two by less than this share of the entries it gained
 * (new objects it holds directly) replaced old entries with new ones: churn, not growth.
 */
const MIN_ENTRY_GROWTH = 0.5
/**
 * A value that grows in bytes (a Buffer replaced by a bigger copy, numbers pushed into an
 * Array) is measured at the first final, halfway through round two and at its end: each half
 * must add bytes, at least this share of what the other half added (a value that reached its
 * cap halfway, a log cut to its last lines, adds less in the second half, or nothing), and at
 * least MIN_BYTES_PER_CALL per call over the round.
 */
const MIN_HALF_RATIO = 0.5
const MIN_BYTES_PER_CALL = 1

/** Without a second round, a holder that gained one object over this many calls or more did not grow with them. */
const MIN_CALLS_FOR_SINGLE = 4

/**
 * Node's own buffers with a fixed cap, by the closure variable Node keeps them in: what only
 * they hold stops growing at the cap, so it is not a leak. The resource-timing buffer
 * (lib/internal/perf/observe.js) keeps one PerformanceResourceTiming per fetch() until it
 * holds `performance.setResourceTimingBufferSize()` entries (250 unless changed), then takes
 * no more; `performance.clearResourceTimings()` empties it.
 */
const BOUNDED_BUFFERS = [{ edge: 'resourceTimingBuffer', holder: "Node's resource-timing buffer (performance.getEntriesByType('resource'))", cap: 250 }]

/** Every step from the root to the sample object: the holder's path, then below it. */
const fullPath = (point) => [...(point.retainerPath || []), ...(point.samplePath || [])]

/** The capped Node buffer a growth point is (reached by a closure-variable edge), if any. */
function boundedBy(point) {
  const path = point.retainerPath || []
  return BOUNDED_BUFFERS.find((b) => path.some((step) => step.edgeType === 'context' && step.edge === b.edge)) || null
}

/** Whether any step down to the holder (holder name or edge) contains one of `names`. */
function heldByAny(point, names) {
  if (!names || names.length === 0) return false
  return fullPath(point).some((step) => names.some((n) => step.name.includes(n) || step.edge.includes(n)))
}

/** How many objects of `point`'s leading class the same holder gained in round two. */
function grownUnder(point, grown) {
  const again = grown.leaks.find((g) => g.holder.id === point.holder.id)
  if (!again) return 0
  const same = (again.breakdown || []).find((c) => c.name === point.name && c.kind === point.kind)
  return same ? same.count : again.name === point.name ? again.leadingCount : 0
}

/** Round two's entries of the point's holder, when they did not grow with what it gained. */
function churned(grown, point) {
  const again = grown.leaks.find((g) => g.holder.id === point.holder.id)
  const entries = again && again.holderEntries
  if (!entries) return null
  // Its old entries kept by the new ones (`log += line`): as many entries, but a chain.
  if (entries.keptBySuccessors > 0) return null
  return entries.after - entries.before < MIN_ENTRY_GROWTH * again.leadingCount ? entries : null
}

/**
 * Judges each growth point of round one. A growth point's holder existed before the baseline,
 * so it keeps its snapshot id: round two's growth points are matched to round one's by it,
 * and each is judged on its own counts (a one-time object under one holder is never judged by
 * what grew under another).
 * @param {object} first  report of round one (baseline, target, final)
 * @param {number[]|null} persisted  per growth point of `first`, its leading class's entries still alive after round two (by id)
 * @param {object|null} grown  growth points of round two (final, confirm, confirm; holders older than the baseline)
 */
function judge(first, persisted, grown, { leakFilter, ignoreHeldBy, values } = {}) {
  const leaks = []
  const retained = []
  const inBytes = valuesGrowing(values)
  // A holder whose value grew in bytes and that no count of objects showed (an Array of
  // numbers gains no object): a growth point of its own, made from the value.
  const points = [...first.leaks, ...[...inBytes.values()].filter((g) => !first.leaks.some((p) => p.holder.id === g.value.holder.id)).map(valuePoint)]
  for (const [index, point] of points.entries()) {
    let verdict
    const bound = boundedBy(point)
    const bytesGrew = inBytes.get(point.holder.id)
    if (index >= first.leaks.length) {
      verdict = { leak: true, reason: 'grows-in-bytes', persisted: null, grew: null }
    } else if (bound) {
      verdict = { leak: false, reason: 'bounded', persisted: persisted ? persisted[index] : null, grew: null, bound: { holder: bound.holder, cap: bound.cap } }
    } else if (!persisted || !grown) {
      // Without a second round, one object over several calls is not growth with the calls,
      // and far fewer than the calls (a queue a framework flushes later) cannot be told from
      // one: unconfirmed.
      const calls = first.summary && first.summary.iterations
      const single = calls >= MIN_CALLS_FOR_SINGLE && point.leadingCount <= 1
      const sparse = calls >= MIN_CALLS_FOR_SINGLE && point.leadingCount * MIN_CALLS_FOR_SINGLE < calls
      verdict = { leak: !single && !sparse, reason: single ? 'single' : sparse ? 'unconfirmed' : 'survived', persisted: null, grew: null }
    } else {
      const kept = persisted[index]
      const grew = grownUnder(point, grown)
      const before = point.leadingCount
      // The holder's entries of the leading class decide, not every member: what the entries
      // hold may be replaced as they work (a task's re-armed timer) while the entries stay.
      if (kept < MIN_PERSISTED * Math.max(1, point.leadingCount)) {
        verdict = { leak: false, reason: 'released', persisted: kept, grew }
      } else if (grew === 0) {
        verdict = { leak: false, reason: 'one-time', persisted: kept, grew }
      } else if (grew <= before || grew < MIN_GROWTH * before) {
        verdict = { leak: false, reason: 'not-with-calls', persisted: kept, grew }
      } else {
        const entries = churned(grown, point)
        verdict = entries
          ? { leak: false, reason: 'churn', persisted: kept, grew, entries }
          : { leak: true, reason: 'grows-with-calls', persisted: kept, grew }
      }
    }
    // Counted in objects it did not grow (one value replaced by the next), in bytes it did.
    if (bytesGrew && !verdict.leak && verdict.reason !== 'bounded') verdict = { ...verdict, leak: true, reason: 'grows-in-bytes' }
    const judged = { ...point, verdict }
    if (bytesGrew && verdict.reason === 'grows-in-bytes') judged.bytesGrowth = bytesGrew.growth
    if (verdict.leak && (heldByAny(judged, ignoreHeldBy) || (leakFilter && !leakFilter(judged)))) {
      judged.verdict = { ...verdict, leak: false, reason: 'filtered' }
    }
    ;(judged.verdict.leak ? leaks : retained).push(judged)
  }
  return { leaks: withSiblingsTogether(leaks), retained }
}

/**
 * The values that grew in bytes over both halves of round two, alike, by holder id (the one
 * growing fastest where a holder has several): each with its growth (index.d.ts: BytesGrowth).
 */
function valuesGrowing(values) {
  const found = new Map()
  if (!values) return found
  const { growing, bytes, callsPerHalf } = values
  growing.forEach((value, i) => {
    const [start, middle, end] = [bytes[i * 3], bytes[i * 3 + 1], bytes[i * 3 + 2]]
    const first = middle - start
    const second = end - middle
    if (!(first > 0 && second > 0) || Math.min(first, second) < MIN_HALF_RATIO * Math.max(first, second)) return
    const perCall = (end - start) / (2 * callsPerHalf)
    if (perCall < MIN_BYTES_PER_CALL) return
    const known = found.get(value.holder.id)
    if (known && known.growth.perCall >= perCall) return
    // A Map's value by its key (`get("acme")`), else the variable or property.
    const slot = value.slot.key ? `get(${value.slot.key})` : value.slot.edge
    const growth = { perCall, form: value.value.form, value: value.value.name, slot, bytes: { start, middle, end }, callsPerHalf }
    found.set(value.holder.id, { value, growth })
  })
  return found
}

/** A growth point made from a value that grew in bytes where no object was new (an Array of numbers). */
function valuePoint({ value, growth }) {
  const size = growth.bytes.end
  const kind = value.value.form === 'string' ? 'string' : 'object'
  return {
    name: value.value.name,
    kind,
    holder: value.holder,
    sharedWith: [],
    holderEntries: null,
    settledPromises: null,
    count: 1,
    leadingCount: 1,
    linkedCount: 0,
    countPerIteration: null,
    selfSize: size,
    retainedSize: size,
    retainerPath: value.retainerPath,
    samplePath: [value.slot],
    breakdown: [{ name: value.value.name, kind, count: 1, selfSize: size, retainedSize: size }],
    sampleIds: [value.value.id],
    location: null,
    allocationStacks: [],
    tracedCount: 0,
    internal: false,
  }
}

/** A growth point as an `alongside` entry of another (index.d.ts: SiblingGrowth). */
function asSibling(p) {
  return {
    holder: p.holder,
    name: p.name,
    kind: p.kind,
    count: p.count,
    leadingCount: p.leadingCount,
    countPerIteration: p.countPerIteration,
    selfSize: p.selfSize,
    retainedSize: p.retainedSize,
    retainerPath: p.retainerPath,
  }
}

/**
 * Holders that are properties of one object and grow at one rate are one leak of that object
 * (a library's options object whose three registries each gain one entry per call): the
 * largest stays the entry and lists the others as `alongside`. Scopes (module variables), the
 * global object and a module's exports are not gathered: what hangs there is unrelated code.
 */
function withSiblingsTogether(leaks) {
  const byOwner = new Map()
  for (const point of leaks) {
    const path = point.retainerPath || []
    const owner = path[path.length - 2]
    const step = path[path.length - 1]
    const gathers =
      owner && step && step.edgeType === 'property' && owner.nodeType === 'object' && owner.id && !/^(system \/ |global|Window)/.test(owner.name) && step.edge !== 'exports' && path[path.length - 2].edge !== 'exports'
    const key = gathers ? `${owner.id}\u0000${point.countPerIteration}` : null
    if (key === null) continue
    if (!byOwner.has(key)) byOwner.set(key, [])
    byOwner.get(key).push(point)
  }
  const gathered = new Set()
  for (const points of byOwner.values()) {
    if (points.length < 2) continue
    const [lead, ...others] = points // leaks come largest retained first
    lead.alongside = others.map(asSibling)
    for (const p of others) gathered.add(p)
  }
  return leaks.filter((p) => !gathered.has(p))
}

module.exports = { judge, asSibling, MIN_PERSISTED, MIN_GROWTH, SECOND_ROUND_FACTOR }
