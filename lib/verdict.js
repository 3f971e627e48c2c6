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
//     during round two.

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

// The class of a group. Round two's groups are matched by class alone: whether a member is
// held through another leak can change from one analysis to the next.
const classKey = (g) => `${g.kind}\u0000${g.name}\u0000${g.location ? `${g.location.scriptId}:${g.location.line}:${g.location.column}` : ''}`

/**
 * @param {object} first  report of round one (baseline, target, final)
 * @param {number[]|null} persisted  per group of `first`, its members still alive after round two (by id)
 * @param {object|null} grown  objects new in round two and alive after it (final, after, after)
 */
/** A group is a consequence when every member leaks only because another leaked object holds it. */
const isConsequence = (group) => group.heldByOtherLeaks !== undefined && group.heldByOtherLeaks >= group.count

/**
 * Node's own buffers with a fixed cap, by the closure variable Node keeps them in: what only
 * they hold stops growing at the cap, so it is not a leak. The resource-timing buffer
 * (lib/internal/perf/observe.js) keeps one PerformanceResourceTiming per fetch() until it
 * holds `performance.setResourceTimingBufferSize()` entries (250 unless changed), then takes
 * no more; `performance.clearResourceTimings()` empties it.
 */
const BOUNDED_BUFFERS = [{ edge: 'resourceTimingBuffer', holder: "Node's resource-timing buffer (performance.getEntriesByType('resource'))", cap: 250 }]

/** The capped Node buffer a group's path passes through (by a closure-variable edge), if any. */
function boundedBy(group) {
  if (!group.retainerPath) return null
  return BOUNDED_BUFFERS.find((b) => group.retainerPath.some((step) => step.edgeType === 'context' && step.edge === b.edge)) || null
}

/** Whether any step of a group's retainer path (holder name or edge) contains one of `names`. */
function heldByAny(group, names) {
  if (!names || names.length === 0 || !group.retainerPath) return false
  return group.retainerPath.some((step) => names.some((n) => step.name.includes(n) || step.edge.includes(n)))
}

function judge(first, persisted, grown, { leakFilter, ignoreHeldBy } = {}) {
  const grownBy = new Map()
  for (const g of grown ? grown.leaks : []) grownBy.set(classKey(g), (grownBy.get(classKey(g)) || 0) + g.count)
  const leaks = []
  const retained = []
  for (const [index, group] of first.leaks.entries()) {
    let verdict
    const bound = boundedBy(group)
    if (bound) {
      verdict = { leak: false, reason: 'bounded', persisted: persisted ? persisted[index] : null, grew: null, bound: { holder: bound.holder, cap: bound.cap } }
    } else if (!persisted || !grown) {
      verdict = { leak: true, reason: 'survived', persisted: null, grew: null }
    } else {
      const kept = persisted[index]
      const grew = grownBy.get(classKey(group)) || 0
      if (kept < MIN_PERSISTED * group.count) {
        verdict = { leak: false, reason: 'released', persisted: kept, grew }
      } else if (grew === 0) {
        verdict = { leak: false, reason: 'one-time', persisted: kept, grew }
      } else if (grew <= group.count || grew < MIN_GROWTH * group.count) {
        verdict = { leak: false, reason: 'not-with-calls', persisted: kept, grew }
      } else {
        verdict = { leak: true, reason: 'grows-with-calls', persisted: kept, grew }
      }
    }
    const judged = { ...group, verdict }
    if (verdict.leak && (heldByAny(judged, ignoreHeldBy) || (leakFilter && !leakFilter(judged)))) {
      judged.verdict = { ...verdict, leak: false, reason: 'filtered' }
    }
    ;(judged.verdict.leak ? leaks : retained).push(judged)
  }
  // Consequences live only through other leaked objects. With no cause left among the leaks,
  // what holds them was judged not a leak (or accepted), and so are they.
  if (leaks.length > 0 && leaks.every(isConsequence)) {
    for (const g of leaks) g.verdict = { ...g.verdict, leak: false, reason: 'held-by-non-leaks' }
    retained.push(...leaks)
    leaks.length = 0
  }
  return { leaks, retained }
}

module.exports = { judge, isConsequence, MIN_PERSISTED, MIN_GROWTH, SECOND_ROUND_FACTOR }
