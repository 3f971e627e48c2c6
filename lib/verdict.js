'use strict'
// Which surviving groups are leaks. The three snapshots say what was created by the calls and
// is still alive; a second round of calls says whether it keeps growing:
//   - a leak keeps (nearly) all of round one's objects through round two (checked by id), and
//     round two adds about as many again of the same class;
//   - one-time growth (a lazy singleton, a cache filled once, code warmed by the calls) adds
//     nothing in round two;
//   - bounded structures (an LRU at capacity, replaced entries) release round one's objects
//     during round two.

/** Share of round one's objects that must still be alive after round two. */
const MIN_PERSISTED = 0.9
/** Round two must add at least this share of round one's count (and at least one object). */
const MIN_GROWTH = 0.5

// The class of a group. Round two's groups are matched by class alone: whether a member is
// held through another leak can change from one analysis to the next.
const classKey = (g) => `${g.kind}\u0000${g.name}\u0000${g.location ? `${g.location.scriptId}:${g.location.line}:${g.location.column}` : ''}`

/**
 * @param {object} first  report of round one (baseline, target, final)
 * @param {number[]|null} persisted  per group of `first`, its members still alive after round two (by id)
 * @param {object|null} grown  objects new in round two and alive after it (final, after, after)
 */
function judge(first, persisted, grown, { leakFilter } = {}) {
  const grownBy = new Map()
  for (const g of grown ? grown.leaks : []) grownBy.set(classKey(g), (grownBy.get(classKey(g)) || 0) + g.count)
  const leaks = []
  const retained = []
  for (const [index, group] of first.leaks.entries()) {
    let verdict
    if (!persisted || !grown) {
      verdict = { leak: true, reason: 'survived', persisted: null, grew: null }
    } else {
      const kept = persisted[index]
      const grew = grownBy.get(classKey(group)) || 0
      if (kept < MIN_PERSISTED * group.count) {
        verdict = { leak: false, reason: 'released', persisted: kept, grew }
      } else if (grew < Math.max(1, MIN_GROWTH * group.count)) {
        verdict = { leak: false, reason: 'one-time', persisted: kept, grew }
      } else {
        verdict = { leak: true, reason: 'grows-with-calls', persisted: kept, grew }
      }
    }
    const judged = { ...group, verdict }
    if (verdict.leak && leakFilter && !leakFilter(judged)) {
      judged.verdict = { ...verdict, leak: false, reason: 'filtered' }
    }
    ;(judged.verdict.leak ? leaks : retained).push(judged)
  }
  return { leaks, retained }
}

module.exports = { judge, MIN_PERSISTED, MIN_GROWTH }
