'use strict'
// Naming the pattern behind a retainer path. A path is evidence; people still have to see the
// listener, the timer or the cache in it. Each rule below reads the path (root first, each
// step the edge taken and the holder reached) for one V8/Node heap shape, and says what it
// found with the names from the heap and a one-line fix. The rules are tried from the most
// specific (a listener, a timer) to the most general (a variable); a path that fits none says
// so instead of guessing.

const COLLECTIONS = new Set(['Map', 'Set', 'Array', 'Object'])

const article = (noun) => `${/^[AEIOU]/.test(noun) ? 'an' : 'a'} ${noun}`
const symbolName = (edge) => (edge || '').replace(/^<symbol (.*)>$/, '$1')
const isClosure = (step) => step && step.nodeType === 'closure'
const label = (step) => (step ? step.name : '?')

/**
 * Whether a named Map, Set or Array sits between step `from` and the leaked object. Then that
 * collection holds the objects, and the listener, timer or promise above it only happens to
 * be on the shortest path to it (an HTTP server's request handler above a module's array).
 */
function collectionBelow(path, from) {
  for (let k = from + 1; k < path.length - 1; k++) {
    if (COLLECTIONS.has(path[k].name) && path[k].name !== 'Object' && (path[k].edgeType === 'context' || path[k].edgeType === 'property')) return true
  }
  return false
}

/** The variable name and holder when a step was reached through a context (closure) variable. */
function contextVariable(path, from = path.length - 1) {
  for (let i = from; i > 0; i--) if (path[i].edgeType === 'context') return { index: i, name: path[i].edge }
  return null
}

/**
 * The closure that owns the context in which `index` is a variable, if the path shows it,
 * with the index of its step.
 */
function owningClosure(path, index) {
  for (let i = index - 1; i >= 0; i--) {
    if (isClosure(path[i])) return { step: path[i], index: i }
    if (path[i].edgeType !== 'context' && path[i].edge !== 'context' && path[i].edge !== 'previous' && !/Context/.test(path[i].name)) break
  }
  return null
}

const RULES = [
  {
    pattern: 'event-listener',
    match(path) {
      for (let i = path.length - 1; i > 0; i--) {
        const edge = symbolName(path[i].edge)
        if (edge === '_events' || edge === 'kEvents') {
          // path[i + 1] is the event's own listener list; look below it.
          if (collectionBelow(path, i + 1)) return null
          const emitter = path[i - 1]
          const eventTarget = edge === 'kEvents'
          // An EventEmitter's _events is an object keyed by event name. An EventTarget's
          // kEvents is a Map: the next edge is the Map's own hash table, and the event name is
          // a key beside the path, not on it.
          const event = !eventTarget && path[i + 1] && path[i + 1].edgeType !== 'element' ? path[i + 1].edge : null
          const name = event ? `for '${event}' ` : ''
          return {
            title: 'Listener on a long-lived emitter',
            detail: `a listener ${name}on ${label(emitter)}${holderVariable(path, i - 1)} is added on every call and never removed`,
            // A { once: true } listener goes only when its event fires: no help on a signal
            // or target whose event never comes.
            hint: eventTarget
              ? 'remove it with removeEventListener() when the work is done; { once: true } removes it only if the event ever fires'
              : 'remove it with off() when done, or add it with once() if the event always comes',
            holder: { emitter: label(emitter), event },
          }
        }
      }
      return null
    },
  },
  {
    pattern: 'async-local-storage',
    match(path) {
      const i = path.findIndex((s) => /kResourceStore|async_context_frame|AsyncContextFrame|AsyncLocalStorage/.test(`${s.edge} ${s.name}`))
      if (i < 0 || collectionBelow(path, i)) return null
      return {
        title: 'AsyncLocalStorage store kept by a long-lived resource',
        detail: `the store is held by ${label(path[i - 1] || path[i])}: a resource created inside als.run() (a timer, a socket, a pooled object) keeps the store of the request that created it`,
        hint: 'create long-lived resources outside als.run() (or in als.exit()), and keep stores small',
        holder: {},
      }
    },
  },
  {
    pattern: 'timer',
    match(path) {
      const i = path.findIndex((s) => s.name === 'Timeout' || s.name === 'Immediate')
      if (i < 0 || collectionBelow(path, i)) return null
      // _idleNext/_idlePrev are the timer list's own links; the callback and its arguments say more.
      const next = path[i + 1] ? symbolName(path[i + 1].edge) : ''
      const via = ['_onTimeout', '_onImmediate', '_timerArgs', '_argv'].includes(next) ? `${next} (${label(path[i + 1])})` : ''
      return {
        title: 'Timer never cleared',
        detail: `a ${path[i].name}${via ? ` holds it through ${via}` : ''}: a setInterval that is never cleared, or a setTimeout that has not fired yet, keeps its callback and everything the callback can reach`,
        hint: 'keep the handle and clearInterval()/clearTimeout() it when the work is done (or on shutdown)',
        holder: { timer: path[i].name },
      }
    },
  },
  {
    pattern: 'pending-promise',
    match(path) {
      const i = path.findIndex((s) => s.edge === 'reactions' || s.edge === 'reactions_or_result' || s.name === 'PromiseReaction')
      if (i < 0 || collectionBelow(path, i)) return null
      return {
        title: 'Reactions on a promise that never settles',
        detail: `a pending Promise${holderVariable(path, i - 1)} keeps every then()/await continuation on it, and what they capture`,
        hint: 'settle (or reject with a timeout) every promise you wait on, and drop waiting lists when done',
        holder: {},
      }
    },
  },
  {
    pattern: 'class-static',
    match(path) {
      // The property of a function (a class's static, or `createThing.instances`) nearest the
      // objects. Farther up, it is only the road there (Module._cache above every module); and
      // a variable nearer the objects holds them itself.
      for (let i = path.length - 1; i > 0; i--) {
        if (path[i].edgeType === 'context') return null
        const owner = path[i - 1]
        if (!isClosure(owner) || path[i].edgeType !== 'property' || ['prototype', 'context'].includes(path[i].edge)) continue
        const fn = owner.name.replace(/\(\)$/, '')
        const isClass = /^[A-Z]/.test(fn)
        return {
          title: isClass ? 'Class static' : 'Property of a long-lived function',
          detail: `${fn}.${path[i].edge} lives as long as the ${isClass ? 'class' : 'function'}, and grows on every call`,
          hint: `remove entries from ${fn}.${path[i].edge} when they are done, bound it, or key it weakly (WeakMap/WeakRef)`,
          holder: { className: fn, property: path[i].edge },
        }
      }
      return null
    },
  },
  {
    pattern: 'global-variable',
    match(path) {
      const i = path.findIndex((s) => /^(global|globalThis|Window|Window \/ .*)$/.test(s.name))
      // Only when the global holds the leaked objects itself or through one container; deeper
      // down, the container or object in between says more.
      if (i < 0 || !path[i + 1] || path.length - 1 - i > 2) return null
      return {
        title: 'Global variable',
        detail: `globalThis.${path[i + 1].edge} lives as long as the process`,
        hint: `keep it in a scope with a lifetime, or delete globalThis.${path[i + 1].edge} (or trim it) when done`,
        holder: { variable: path[i + 1].edge },
      }
    },
  },
  {
    pattern: 'collection-cache',
    match(path) {
      // The nearest collection above the leaked object, reached within a few steps.
      for (let i = path.length - 2; i >= Math.max(1, path.length - 5); i--) {
        // A closure's scope nearer to the object than any collection: that scope is the holder.
        if (path[i + 1].edgeType === 'context') break
        const step = path[i]
        if (!COLLECTIONS.has(step.name) || step.name === 'Object') continue
        const name = variableOf(path, i)
        const where = path[i].edgeType === 'context' ? 'the module or closure variable ' : ''
        return {
          title: `${step.name} used as a cache without eviction`,
          detail: `${name ? `${where}\`${name}\` (${article(step.name)})` : article(step.name)} gains an entry on every call and never loses one`,
          hint: step.name === 'Array'
            ? 'trim it (keep the last N), or remove entries when they are done'
            : `delete entries when done, bound it (an LRU with a maximum size), or use a Weak${step.name} when keys are objects`,
          holder: { collection: step.name, variable: name },
        }
      }
      return null
    },
  },
  {
    pattern: 'closure-capture',
    match(path, group) {
      const v = contextVariable(path)
      if (!v) return null
      const owner = owningClosure(path, v.index)
      if (!owner || (group && group.kind === 'closure' && v.index === path.length - 1)) return null
      // A closure made per call sits in a slot (an array element, a listener list, a timer);
      // one reached by a named property (module.exports.action) is a module's function, and
      // its scope is the module's: that is a module variable, not a capture.
      if (owner.step.edgeType === 'property' || owner.index === 0) return null
      const closure = owner.step
      return {
        title: 'Closure capturing more than it needs',
        detail: `${closure.name} keeps the variable \`${v.name}\` of its scope alive (V8 keeps one context per scope, shared by every closure made in it)`,
        hint: `copy what ${closure.name} needs into a local before creating it, or set \`${v.name}\` to null when done`,
        holder: { closure: closure.name, variable: v.name },
      }
    },
  },
  {
    pattern: 'module-variable',
    match(path) {
      const v = contextVariable(path)
      if (!v) return null
      return {
        title: 'Module-level variable',
        detail: `the module variable \`${v.name}\` lives as long as the module (for ever, once loaded)`,
        hint: `remove from \`${v.name}\` what is done, or give it a bounded size`,
        holder: { variable: v.name },
      }
    },
  },
]

/** ` (held in `x`)` when the step at `index` was reached through a named variable or property. */
function holderVariable(path, index) {
  const name = variableOf(path, index)
  return name ? ` (\`${name}\`)` : ''
}

function variableOf(path, index) {
  const step = path[index]
  if (!step) return null
  if (step.edgeType === 'context' || step.edgeType === 'property') return symbolName(step.edge)
  return null
}

/**
 * The pattern a group's retainer path shows: `{ pattern, title, detail, hint, holder }`, or
 * `pattern: 'unknown'` when no rule fits.
 */
function diagnose(group) {
  const path = (group.retainerPath || []).filter((s) => !s.elided)
  for (const rule of RULES) {
    const found = rule.match(path, group)
    if (found) return { pattern: rule.pattern, ...found }
  }
  return {
    pattern: 'unknown',
    title: 'No known pattern',
    detail: 'the retainer path fits none of the patterns leakhunt knows; read it from the root: the first holder you own is where to look',
    hint: null,
    holder: {},
  }
}

/** Adds `cause` to every group of a report (leaks and retained). */
function withCauses(report) {
  for (const group of report.leaks || []) group.cause = diagnose(group)
  for (const group of report.retained || []) group.cause = diagnose(group)
  return report
}

module.exports = { diagnose, withCauses, PATTERNS: RULES.map((r) => r.pattern) }
