'use strict'
// Naming what grows, and why. Each report entry is a growth point: a holder that existed
// before the baseline and gained the new objects. Its path (root first, each step the edge
// taken and the holder reached) ends at the holder; the sample path goes on from it to one of
// the objects. The cause is read from the holder and the steps next to it, never from
// whichever road the shortest path took to get there (Module._cache above every module, a
// server's request handler above a module's array). Each rule below reads one V8/Node heap
// shape, from the most specific (a listener list, a timer list) to the most general (a
// variable); a holder that fits none says so instead of guessing.

const nodePath = require('node:path')
const { rate: perCallText, article, callsOf, bytes } = require('./phrases.js')
const { asSibling } = require('./verdict.js')

const COLLECTIONS = new Set(['Map', 'Set', 'Array', 'Object', 'WeakMap'])
/** What V8 replaces as a holder grows; a name skips over them. */
const STORAGE_EDGES = new Set(['elements', 'properties', 'table'])

const symbolName = (edge) => (edge || '').replace(/^<symbol (.*)>$/, '$1')
const isSymbol = (edge) => /^<symbol .*>$/.test(edge || '')
const isClosure = (step) => step && step.nodeType === 'closure'
const isGlobal = (step) => step && /^(global|globalThis|Window)( \/.*)?$/.test(step.name)
const fnName = (step) => step.name.replace(/\(\)$/, '')
const unquote = (key) => (key && /^".*"$/.test(key) ? key.slice(1, -1) : key)
const TIMERS = new Set(['Timeout', 'Immediate'])
/**
 * Names that are code, not data: a label (and so a cause) never carries a dictionary key or a
 * Map key that could be a token; those read `[…]` and `get(…)`.
 */
const IDENTIFIER = /^[A-Za-z_$][\w$]{0,63}$/
const CODE_KEY = /^"[A-Za-z_$][\w$:.-]{0,39}"$/

/**
 * The name its user calls the function at `path[index]` by: the variable or property that holds
 * it (`resolveRoute` for lodash's `memoized`), else its own name.
 */
function calledBy(path, index) {
  const by = path[index]
  const edge = symbolName(by.edge)
  // A module whose exports are the function: its user names it at require(), unseen here.
  const named = (by.edgeType === 'context' || by.edgeType === 'property') && IDENTIFIER.test(edge) && edge !== 'exports' && edge !== 'default'
  return named ? edge : fnName(by)
}

function appendPart(label, part) {
  if (!label) return part
  return part.startsWith('[') ? `${label}${part}` : `${label}.${part}`
}

/**
 * The holder named as its user would write it: `store.sessions`, `createThing.instances`,
 * `globalThis.cache`, `emitter._events.request`. Walks up from the holder through property
 * names, Map keys and array indexes to the variable, function or global object it hangs from.
 */
/** A module's file as its user knows it: relative to the working directory when inside it. */
function moduleName(file) {
  const relative = nodePath.relative(process.cwd(), file)
  return relative && !relative.startsWith('..') && !nodePath.isAbsolute(relative) ? relative : file
}

function holderLabel(path, h) {
  if (h < 0) return '(GC roots)'
  // A root V8 or Node keeps (the stack of running code, global handles): its own name.
  if (path[h].nodeType === 'synthetic') return path[h].name
  // A promise held in the engine's context of its resolving function (not by a variable):
  // named by the function that settles it, as its user knows it.
  const scope = path[h - 1]
  if (path[h].name === 'Promise' && path[h].edgeType !== 'context' && scope && /Context$/.test(scope.name) && h >= 2 && path[h - 1].edge === 'context') {
    return `the promise ${calledBy(path, h - 2)}() settles`
  }
  const parts = []
  let i = h
  let start = null
  for (; i >= 1; i--) {
    const step = path[i]
    const edge = symbolName(step.edge)
    if (step.edgeType === 'context') {
      // A library's closure that captured the object as `this`: the program's own variable
      // for it, where one holds it too (retainers' PathStep.variable).
      start = step.variable || edge
      break
    }
    // The value of a `{ key, value }` record in a list: named by its key, as the program named
    // it (`_Request.props["seen"]`, not `props[0].value`).
    if (step.edgeType === 'property' && step.edge === 'value' && step.key && path[i - 1] && path[i - 2] && path[i - 1].edgeType === 'element') {
      parts.unshift(`[${step.key}]`)
      i--
      continue
    }
    if (step.edgeType === 'property') {
      const owner = path[i - 1]
      // A module's exports: what is above is only the road to the module.
      if (edge === 'exports' && owner && owner.name === 'Module') {
        start = owner.moduleFile ? `${moduleName(owner.moduleFile)} exports` : 'module.exports'
        break
      }
      parts.unshift(isSymbol(step.edge) ? `[${edge}]` : IDENTIFIER.test(edge) ? edge : '[…]')
      if (isGlobal(owner)) {
        start = 'globalThis'
        break
      }
      // A function's property names the holder from that function, unless the function is
      // itself a property of another function (express's app._router, a router() function):
      // then from the outer one.
      if (isClosure(owner) && !(owner.edgeType === 'property' && path[i - 2] && isClosure(path[i - 2]))) {
        start = calledBy(path, i - 1)
        break
      }
      continue
    }
    if (step.key !== undefined && step.key !== null) {
      parts.unshift(CODE_KEY.test(step.key) ? `get(${step.key})` : 'get(…)')
      // The Map's hash table is the step above: the key belongs to the Map.
      if (path[i - 1] && STORAGE_EDGES.has(path[i - 1].edge)) i--
      continue
    }
    if (step.edgeType === 'element') {
      parts.unshift(step.edge)
      continue
    }
    if (STORAGE_EDGES.has(step.edge)) continue
    start = step.name
    break
  }
  if (start === null) start = path[Math.max(i, 0)].name
  // A long chain keeps its two ends.
  const shown = parts.length > 5 ? [...parts.slice(0, 2), '…', ...parts.slice(-2)] : parts
  return shown.reduce(appendPart, start)
}


/**
 * What a timer's callback keeps that its user could close: the most numerous class of objects
 * under the growth point that is neither a timer nor a plain container, with the cleanup
 * method its prototype defines, if any.
 */
function heldInstance(point) {
  // AsyncContextFrame (Node 24) is Node's map of AsyncLocalStorage stores that a resource
  // captures when created: what the user knows is the store in it.
  const candidates = (point.breakdown || []).filter(
    (c) => c.kind === 'object' && !TIMERS.has(c.name) && !COLLECTIONS.has(c.name) && !/^(TimersList|ImmediateList|Promise|AsyncContextFrame|system \/ .*)$/.test(c.name),
  )
  return candidates.find((c) => c.cleanup) || candidates[0] || null
}

/** The package a script belongs to: `nunjucks`, `@scope/name`; null for the program's own code. */
function packageOf(scriptName) {
  const found = [...String(scriptName || '').matchAll(/node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/g)]
  return found.length ? found[found.length - 1][1].replace(/\\/g, '/') : null
}

/**
 * For listeners a package defines (their function is in node_modules): the package and the
 * object made per call that each listener keeps, which is what the program can release.
 */
function listenerOwner(point) {
  const pkg = point.kind === 'closure' && point.location && packageOf(point.location.scriptName)
  const each = pkg && perCallInstance(point)
  return each ? { pkg, each } : null
}

/** The object the point's entries keep one of each (or nearly), made per call with them. */
function perCallInstance(point) {
  const each = heldInstance(point)
  return each && each.count * 2 >= point.leadingCount ? each : null
}

/**
 * For entries that are not themselves the objects they keep (records, bound functions): the
 * package whose class each entry keeps an instance of, one per entry, when that class has a
 * method that ends it (`return()` of a pub/sub iterator).
 */
function keptFor(point) {
  const each = perCallInstance(point)
  const pkg = each && each.cleanup && each.name !== point.name && each.location && packageOf(each.location.scriptName)
  return pkg ? { pkg, each } : null
}

/** The fix for what an object made per call left behind: its cleanup method, or one object. */
function ownerHint(each, goes) {
  if (each.cleanup === 'return') {
    return `call return() on each ${each.name} when its consumer is gone (a for await…of left by break or return calls it; a subscription whose client went away must call it): ${goes}`
  }
  if (each.cleanup) return `call ${each.name}.prototype.${each.cleanup}() on each ${each.name} when done with it (${goes}), or make one ${each.name} and share it instead of one per call`
  return `make one ${each.name} and share it instead of one per call: nothing in it removes what it added`
}

/** ", each keeping a RequestContext alive", saying when it is an AsyncLocalStorage store. */
function keeping(point, each) {
  if (!each) return ''
  const store = (point.breakdown || []).some((c) => c.name === 'AsyncContextFrame') ? ' (the AsyncLocalStorage store of the run() that armed it: a timer keeps the context it was created in)' : ''
  return `, each keeping ${article(each.name)} alive${store}`
}

const RULES = [
  {
    pattern: 'event-listener',
    match(path, h, point) {
      // A page's event target (Blink): target → blink::EventTargetData → its listener vectors
      // → blink::RegisteredEventListener → V8EventListener → the function.
      const data = path.findIndex((step, i) => i >= 1 && i <= h + 1 && step.name === 'blink::EventTargetData')
      if (data > 0 && path.slice(data).some((step) => step.name === 'blink::RegisteredEventListener')) {
        const target = path[data - 1]
        const on = /^Window( \/ .*)?$/.test(target.name) ? 'window' : target.name
        return {
          title: 'Listener on a long-lived event target',
          label: `${on}'s event listeners`,
          detail: `a listener on ${on} is added on every call and never removed`,
          hint: 'remove it with removeEventListener() and the same function when the work is done (or add it with { signal } from an AbortController you abort then); { once: true } removes it only if the event ever fires',
          holder: { emitter: target.name, event: null },
        }
      }
      // The emitter's listener store is the holder, holds it, or is held by it.
      for (let i = Math.max(1, h - 2); i <= Math.min(path.length - 1, h + 1); i++) {
        const edge = symbolName(path[i].edge)
        if (edge !== '_events' && edge !== 'kEvents') continue
        const emitter = path[i - 1]
        const eventTarget = edge === 'kEvents'
        // An EventEmitter's _events is an object keyed by event name; an EventTarget's
        // kEvents is a Map from event type to its listener list: the key of the Map entry.
        const below = path[i + 1]
        const entry = eventTarget ? path[i + 2] : below
        const event = eventTarget ? unquote(entry && entry.key) || null : below && below.edgeType === 'property' ? below.edge : null
        const on = `${emitter.name}${variableOf(path, i - 1) ? ` (\`${variableOf(path, i - 1)}\`)` : ''}`
        // Listeners node:readline's Interface puts on its input stream: one Interface per call,
        // never closed.
        const scriptName = (point.location && point.location.scriptName) || ''
        if (!eventTarget && /^node:(internal\/)?readline\b/.test(scriptName)) {
          return {
            title: 'readline interfaces created per call, never closed',
            detail: `a readline Interface made per call on ${on} adds its listeners to that stream and is never closed`,
            hint: 'rl.close() when done with it (or make one Interface for the stream and share it)',
            holder: { emitter: emitter.name, event },
          }
        }
        // once() wraps the listener in a function of node:events that removes itself when the
        // event fires (`bound onceWrapper()` up to Node 22, `wrapper()` since): an event that
        // never comes keeps every one.
        if (!eventTarget && scriptName === 'node:events' && /\b(onceWrapper|wrapper)\(\)$/.test(point.name)) {
          return {
            title: 'Listener on a long-lived emitter',
            detail: `a listener ${event ? `for '${event}' ` : ''}on ${on} is added with once() on every call, and its event never came`,
            hint: `once() removes it only when ${event ? `'${event}'` : 'the event'} fires: remove it with off() when the work is done (events.once() with { signal } does so when you abort)`,
            holder: { emitter: emitter.name, event },
          }
        }
        // A listener a package added for an object the program made per call (a template
        // Environment on a shared loader, a pub/sub iterator on its emitter, a server on
        // `process`): the program never held that listener, so off() is no fix it can apply.
        const madeFor = listenerOwner(point)
        if (madeFor) {
          const { pkg, each } = madeFor
          return {
            title: `Listeners ${pkg} adds for ${article(each.name)} made per call`,
            detail: `${pkg} adds a listener ${event ? `for '${event}' ` : ''}on ${on} for each ${each.name}, one is made on every call, and the listener is never removed: it keeps its ${each.name} alive`,
            hint: ownerHint(each, 'its listener goes with it'),
            holder: { emitter: emitter.name, event, instance: each.name, cleanup: each.cleanup || null },
          }
        }
        return {
          title: 'Listener on a long-lived emitter',
          detail: `a listener ${event ? `for '${event}' ` : ''}on ${on} is added on every call and never removed`,
          // A { once: true } listener goes only when its event fires: no help on a signal
          // or target whose event never comes.
          hint: eventTarget
            ? 'remove it with removeEventListener() when the work is done (or add it with { signal } from a controller you abort then); { once: true } removes it only if the event ever fires'
            : 'remove it with off() when done, or add it with once() if the event always comes',
          holder: { emitter: emitter.name, event },
        }
      }
      return null
    },
  },
  {
    pattern: 'timer',
    match(path, h, point) {
      const holder = path[h]
      const below = path[h + 1]
      const timerList = holder && /^(TimersList|ImmediateList)$/.test(holder.name)
      // A page's timers (Blink): its DOMTimerCoordinator → DOMTimer → ScheduledAction → the function.
      const pageTimers = path.slice(h, h + 4).some((step) => /DOMTimerCoordinator$|^DOMTimer$/.test(step.name))
      if (!timerList && !pageTimers && !(below && TIMERS.has(below.name)) && !TIMERS.has(point.name)) return null
      const timers = (point.breakdown || []).find((c) => TIMERS.has(c.name))
      const calls = callsOf(point)
      const rate = timers && calls ? timers.count / calls : null
      const each = heldInstance(point)
      const armed = rate === null ? 'timers armed per call stay' : `${Number.isInteger(rate) ? rate : rate.toFixed(2)} timer${rate === 1 ? '' : 's'} armed per call ${rate === 1 ? 'stays' : 'stay'}`
      const list = timerList && holder.edgeType === 'element' ? ` (${holder.edge.replace(/[[\]]/g, '')} ms)` : ''
      const timer = timers ? timers.name : 'Timeout'
      // The program's own collection holds the timer handles (and Node's timer list holds the
      // timers too): the collection is what grows and what the fix is about.
      const kept = !timerList && !pageTimers && (TIMERS.has(point.name) || (below && TIMERS.has(below.name))) ? holderLabel(path, h) : null
      if (kept) {
        return {
          title: 'Timer handles kept, timers never cleared',
          detail: `\`${kept}\` (${article(holder.name)}) gains the handle of a timer armed per call and keeps it, and the timer stays pending (Node's timer list holds it too)${keeping(point, each)}: a pending timer keeps its callback and all it reaches`,
          hint: `clearInterval()/clearTimeout() each handle in \`${kept}\` when its work is done and remove it from \`${kept}\`, not only at shutdown (or arm one timer for all calls)`,
          holder: { timer, instance: each ? each.name : null, cleanup: each ? each.cleanup || null : null },
        }
      }
      // An object made per call that arms a timer of its own (a connection pool's reaper) and
      // has a method that ends it: the fix is that method, whatever else the object holds
      // (pending promises of a pool are not an awaitable timer).
      if (each && each.cleanup) {
        return {
          title: `Timers ${article(each.name)} made per call keeps armed`,
          label: `timers armed per call${list}`,
          detail: `${armed} pending (armed by ${article(each.name)} made on every call: its own interval or timeout)${keeping(point, each)}: a pending timer keeps its callback and all it reaches`,
          hint: ownerHint(each, 'its timer goes with it'),
          holder: { timer, instance: each.name, cleanup: each.cleanup },
        }
      }
      // A timer whose callback settles a promise (timers/promises' setTimeout/setInterval, a
      // promisified sleep) gives its caller no handle: only an AbortSignal cancels it.
      const awaitable = timers && (point.breakdown || []).some((c) => c.name === 'Promise' && c.count >= timers.count)
      if (awaitable) {
        return {
          title: 'Awaitable timers started per call, never cancelled',
          label: `timers armed per call${list}`,
          detail: `${armed} pending, each settling a promise when it fires (timers/promises' setTimeout or setInterval, or a promisified sleep): until then the timer keeps the promise and every continuation awaiting it`,
          hint: "pass { signal } from an AbortController to timers/promises' setTimeout()/setInterval() and abort() when the wait is no longer needed (there is no handle to clearTimeout()), or do not start a long wait per call",
          holder: { timer, instance: null, cleanup: null },
        }
      }
      return {
        title: 'Timers armed per call, never cleared',
        label: `timers armed per call${list}`,
        detail: `${armed} pending (a setInterval, or a setTimeout not yet fired or that re-arms itself)${keeping(point, each)}: a pending timer keeps its callback and all it reaches`,
        hint: 'keep the handle and clearInterval()/clearTimeout() it when the work is done (or on shutdown)',
        holder: { timer, instance: each ? each.name : null, cleanup: null },
      }
    },
  },
  {
    pattern: 'pending-promise',
    match(path, h, point) {
      const near = path.slice(h, h + 3)
      const pending = point.name === 'Promise' || near.some((s) => s.name === 'Promise' || s.edge === 'reactions' || s.edge === 'reactions_or_result' || s.name === 'PromiseReaction')
      if (!pending) return null
      // Settled promises kept by key are a cache of results (a loader's promise cache), not waiters.
      if (point.name === 'Promise' && point.settledPromises * 2 > point.breakdown.find((c) => c.name === 'Promise').count) return null
      // Continuations on one promise that lives on: V8 chains a reaction record per then(),
      // await or race on it. Counted by reactions, when their functions are the engine's (a
      // race's resolvers, await's closures) rather than code the user could find by position.
      const reactions = path.slice(h + 1).some((s) => s.edge === 'reactions_or_result' || /PromiseReaction$/.test(s.name))
      if (reactions && point.kind === 'closure' && !point.location) {
        point.name = 'promise reaction'
        point.kind = 'object'
        const rate = perCallText(point)
        return {
          title: 'Reactions on a promise that never settles',
          detail: `\`${holderLabel(path, h)}\` is a promise that has not settled and gains ${rate ? rate.replace(/^([\d.]+|1) (per|every)/, '$1 reaction $2') : 'reactions'} (each then(), await or Promise.race() on it adds one) and keeps every one, with what its continuation captures, until it settles`,
          hint: `do not wait on a long-lived promise per call: race against an AbortSignal (its listener removed when done), or settle ${holderLabel(path, h)}; a Promise.race() with it adds a reaction every time`,
          holder: {},
        }
      }
      return {
        title: 'Reactions on promises that never settle',
        detail: `${holderLabel(path, h)} keeps pending promises, and each keeps every then()/await continuation on it and what they capture`,
        hint: 'settle (or reject with a timeout) every promise you wait on, and drop waiting lists when done',
        holder: {},
      }
    },
  },
  {
    pattern: 'async-local-storage',
    match(path, h) {
      const i = path.findIndex((s) => /kResourceStore|async_context_frame|AsyncContextFrame|AsyncLocalStorage/.test(`${s.edge} ${s.name}`))
      if (i < 0 || i > h + 2) return null
      return {
        title: 'AsyncLocalStorage store kept by a long-lived resource',
        detail: `the store is held by ${(path[i - 1] || path[i]).name}: a resource created inside als.run() (a timer, a socket, a pooled object) keeps the store of the request that created it`,
        hint: 'create long-lived resources outside als.run() (or in als.exit()), and keep stores small',
        holder: {},
      }
    },
  },
  {
    pattern: 'chained-value',
    match(path, h, point) {
      // Most entries reached along a list under one key of the holder: the value at that key
      // is replaced on every call by one that keeps the one before (a wrapper of a wrapper).
      const key = path[h + 1]
      if (!key || key.edgeType !== 'property' || !(point.linkedCount * 2 > point.leadingCount)) return null
      const label = holderLabel(path, h)
      const at = IDENTIFIER.test(symbolName(key.edge)) ? `${label}.${symbolName(key.edge)}` : `${label}[…]`
      // The holder is itself a link of the list, older than the calls: nothing is replaced,
      // the list is appended to at its end and nothing takes links off (a work queue whose
      // consumer is stuck behind a task that never finishes).
      if (path[h].name === point.name) {
        return {
          title: 'A linked list appended to on every call',
          detail: `the list that runs from \`${label}\` through \`.${symbolName(key.edge)}\` gains ${article(point.name)} at its end on every call, and none is taken off`,
          hint: 'take links off as their work is done; if it is a queue of pending work, its consumer is stuck or too slow (a concurrency limit reached by tasks that never finish): settle those tasks, or bound the queue',
          holder: { variable: label },
        }
      }
      return {
        title: 'A value wrapped again on every call',
        detail: `\`${at}\` is replaced on every call by a new ${point.name} that keeps the one before it: a chain as long as the calls`,
        hint: 'wrap or register it once (at start-up), not per call; if it must change per call, wrap the original, not the last wrapper',
        holder: { variable: at },
      }
    },
  },
  {
    pattern: 'class-static',
    match(path, h, point) {
      // A function's property (a class's static, or `createThing.instances`), or the function
      // itself gaining properties.
      const step = path[h]
      let fn = null
      let property = null
      if (h >= 1 && step.edgeType === 'property' && isClosure(path[h - 1]) && !['prototype', 'context'].includes(step.edge)) {
        fn = calledBy(path, h - 1)
        property = symbolName(step.edge)
      } else if (isClosure(step) && path[h + 1] && path[h + 1].edgeType === 'property') {
        fn = calledBy(path, h)
        property = '<key>'
      }
      if (!fn) return null
      const isClass = /^[A-Z]/.test(fn)
      // Named from the outer function when this one is its property (app._router.stack).
      const label = holderLabel(path, h)
      const at = property !== '<key>' && label.endsWith(`.${property}`) ? label : `${fn}.${property}`
      // Entries that each bring a function of their own: a handler registered per call
      // (middleware, a route, a hook), to register once.
      const functions = (point.breakdown || []).filter((c) => c.kind === 'closure').reduce((n, c) => Math.max(n, c.count), 0)
      const handlers = point.kind !== 'closure' && point.leadingCount > 1 && functions >= point.leadingCount
      return {
        title: isClass ? 'Class static' : 'Property of a long-lived function',
        detail: `${at} lives as long as the ${isClass ? 'class' : 'function'}, and grows on every call`,
        hint: handlers
          ? `each entry of ${at} brings a function: if a handler (middleware, a route, a hook) is registered on every call, register it once at start-up; otherwise remove entries when they are done, or bound it`
          : `remove entries from ${at} when they are done, bound it, or key it weakly (WeakMap/WeakRef)`,
        holder: { className: fn, property },
      }
    },
  },
  {
    pattern: 'global-variable',
    match(path, h) {
      const step = path[h]
      let name = null
      if (isGlobal(step) && path[h + 1]) name = '<key>'
      else if (h >= 1 && isGlobal(path[h - 1]) && step.edgeType === 'property') name = symbolName(step.edge)
      if (!name) return null
      return {
        title: 'Global variable',
        detail: `globalThis.${name} lives as long as the process, and grows on every call`,
        hint: `keep it in a scope with a lifetime, or delete globalThis.${name} (or trim it) when done`,
        holder: { variable: name },
      }
    },
  },
  {
    pattern: 'module-variable',
    match(path, h) {
      // A scope (context) gains new objects through one of its variables: reassigned on every
      // call to something that keeps the previous value (a linked list, a wrapper).
      const step = path[h]
      const below = path[h + 1]
      if (!/Context$/.test(step.name) || !below || below.edgeType !== 'context') return null
      return {
        title: 'Module-level variable',
        detail: `the variable \`${below.edge}\` is reassigned on every call to something that keeps what it held before; it lives as long as its scope (a module: for ever)`,
        hint: `do not chain new values onto \`${below.edge}\`: remove from it what is done, or give it a bounded size`,
        holder: { variable: below.edge },
      }
    },
  },
  {
    pattern: 'symbol-registry',
    match(path, h, point) {
      // V8's global symbol registry, among its strong roots: every Symbol.for(key) ever asked for.
      if (!(point.samplePath || []).some((s) => s.edge === 'public_symbol_table') && !path.some((s) => s.edge === 'public_symbol_table')) return null
      const rate = perCallText(point)
      return {
        title: 'Symbol.for() with a new key per call',
        label: "the global symbol registry (Symbol.for)",
        detail: `Symbol.for() registers ${rate ? rate.replace(/^1 (per|every)/, '1 new key $1').replace(/^([\d.]+) per/, '$1 new keys per') : 'new keys'}, and V8's global symbol registry keeps every registered symbol (and its key string) for the life of the process`,
        hint: 'use Symbol() for per-request or per-tenant symbols (they are collected with what uses them), or Symbol.for() only with a fixed set of keys',
        holder: {},
      }
    },
  },
  {
    pattern: 'subscriber-list',
    match(path, h, point) {
      // The holder keeps its functions in a list under one property, and the list is new: it
      // is replaced on every subscribe by a longer copy (copy-on-write, as Node's
      // diagnostics_channel does), so it is the holder, not the list, that lives on.
      const list = path[h + 1]
      if (!list || list.edgeType !== 'property' || list.name !== 'Array' || point.kind !== 'closure' || !path[h]) return null
      const at = `${holderLabel(path, h)}.${symbolName(list.edge)}`
      return {
        title: 'Subscribers added and never removed',
        detail: `\`${at}\` gains a function on every call (the list is replaced by a longer copy each time) and none is ever removed: each keeps what it captures`,
        hint: `unsubscribe when the subscriber is done (remove its function from ${at}), or subscribe once rather than per call`,
        holder: { variable: at },
      }
    },
  },
  {
    pattern: 'finalization-registry',
    match(path, h, point) {
      const step = path[h]
      if (!step || step.name !== 'FinalizationRegistry') return null
      const label = holderLabel(path, h)
      // The registry holds targets weakly; a held value that references its target keeps it.
      const targets = (point.breakdown || []).filter((c) => c.kind === 'object' && c.name !== 'Object')
      const kept = targets.length > 0 ? `, and each held value references its target (${targets.map((c) => c.name).slice(0, 2).join(', ')}), which it keeps alive for ever` : ''
      return {
        title: 'FinalizationRegistry held values kept for ever',
        detail: `\`${label}\` keeps the held value of every register() call until its target is collected${kept}`,
        hint: 'register a held value that does not reference the target (an id, a file descriptor, a handle), and unregister(token) what is closed by hand',
        holder: { variable: label },
      }
    },
  },
  {
    pattern: 'collection-cache',
    match(path, h, point) {
      const step = path[h]
      const kind = COLLECTIONS.has(step.name) ? step.name : step.nodeType === 'object' ? 'Object' : null
      if (!kind) return null
      const label = holderLabel(path, h)
      const noun = kind === 'Object' ? `${step.name === 'Object' ? 'a plain object' : `a ${step.name}`} used as a dictionary` : article(kind)
      const rate = perCallText(point)
      const settled = point.name === 'Promise' && point.settledPromises > 0 ? ': settled promises, a cache of results that keeps every one' : ''
      // Entries a package keeps for an object the program made per call (a pub/sub's record
      // of each subscription's iterator): the program releases the object, not the entries.
      const owner = keptFor(point)
      if (owner) {
        const { pkg, each } = owner
        return {
          title: `Entries ${pkg} keeps for ${article(each.name)} made per call`,
          detail: `\`${label}\` (${noun}) gains ${rate ? rate.replace(/^1 (per|every)/, '1 entry $1').replace(/^([\d.]+) per/, '$1 entries per') : 'entries'}, each kept by ${pkg} for ${article(each.name)} made on every call and never ended`,
          hint: ownerHint(each, `${pkg} removes its entry then`),
          holder: { collection: kind, variable: label, instance: each.name, cleanup: each.cleanup },
        }
      }
      return {
        title: kind === 'Object' ? 'Object used as a dictionary without eviction' : `${kind} used as a cache without eviction`,
        detail: `\`${label}\` (${noun}) gains ${rate ? rate.replace(/^1 (per|every)/, '1 entry $1').replace(/^([\d.]+) per/, '$1 entries per') : 'entries'} and never loses one${settled}`,
        hint:
          kind === 'Array'
            ? `trim ${label} (keep the last N), or remove entries when they are done`
            : kind === 'Object'
            ? `delete ${label}[key] when an entry is done, or bound it (an LRU, or entries that expire)`
            : `delete entries when done, bound it (an LRU with a maximum size), or use a Weak${kind === 'Set' ? 'Set' : 'Map'} when keys are objects`,
        holder: { collection: kind, variable: label },
      }
    },
  },
]

function variableOf(path, index) {
  const step = path[index]
  if (!step) return null
  if (step.edgeType === 'context' || step.edgeType === 'property') return symbolName(step.edge)
  return null
}

/**
 * The pattern of a growth point: `{ pattern, title, detail, hint, holder }`, or
 * `pattern: 'unknown'` when no rule fits.
 */
/**
 * Resources the event loop keeps open through native handles, with no JS collection holding
 * them: what the user created, by the class the heap names it, most specific first (a Worker
 * brings MessagePorts, a server its TCP handle), and what really releases it.
 */
const OPEN_RESOURCES = [
  {
    classes: ['Worker'],
    // The JS Worker and its native handle are both named Worker (Node 20, 22, 24).
    objectsEach: 2,
    title: 'Workers started per call, never terminated',
    label: 'Workers started per call',
    detail: 'a Worker started per call is never terminated: each keeps a thread, its own heap, and its ports and stdio streams in this process',
    hint: 'await worker.terminate() when its work is done (or keep a pool of workers for all calls); unref() lets the process exit but does not stop the worker',
  },
  {
    classes: ['ChildProcess'],
    title: 'Child processes spawned per call, never ended',
    label: 'child processes spawned per call',
    detail: 'a child process spawned per call is never ended: its pipes (an stdin never ended keeps the child waiting) stay open in this process',
    hint: "end its stdin (child.stdin.end()) or child.kill() when done, and wait for its 'exit'",
  },
  {
    classes: ['Server'],
    title: 'Servers listened per call, never closed',
    label: 'servers listened per call',
    detail: 'a server listened per call is never closed: each keeps a listening socket open',
    hint: 'server.close() when done (or listen once and share the server)',
  },
  {
    classes: ['Agent'],
    title: 'HTTP agents made per request, never destroyed',
    label: 'HTTP agents made per call',
    detail: 'an http.Agent made per request keeps its keep-alive sockets open',
    hint: 'share one Agent for all requests, or agent.destroy() when done',
  },
  {
    classes: ['MessagePort'],
    title: 'Message ports opened per call, never closed',
    label: 'message ports opened per call',
    detail: "a MessageChannel opened per call is never closed: a port with a 'message' listener stays open, and keeps its listener and all it reaches",
    hint: 'port.close() (either end closes both) when done',
  },
  {
    // fs.watch() returns an FSWatcher over a native FSEvent handle; fs.watchFile() a StatWatcher.
    classes: ['FSWatcher', 'StatWatcher'],
    title: 'File watchers started per call, never closed',
    label: 'file watchers started per call',
    detail: 'a file watcher started per call is never closed: each keeps a native watch and its listener, and all the listener reaches',
    hint: 'watcher.close() when done (for fs.watchFile(), fs.unwatchFile() with the same listener), or watch once and share the watcher',
  },
  {
    // A zlib stream's native state (a Zlib handle) holds the stream until it ends or is destroyed.
    classes: ['Gzip', 'Gunzip', 'Deflate', 'Inflate', 'DeflateRaw', 'InflateRaw', 'Unzip', 'BrotliCompress', 'BrotliDecompress'],
    title: 'Compression streams made per call, never ended',
    label: 'zlib streams made per call',
    detail: "a zlib stream made per call is never ended or destroyed: its native compressor, its buffers and its stream state stay",
    hint: "end() it when the data is written (or destroy() it), or use zlib's one-shot functions (zlib.gzip(), zlib.gzipSync()) for data in memory",
  },
  {
    // Enabled hooks live in node:internal/async_hooks' list of active hooks until disabled.
    classes: ['AsyncHook'],
    always: true,
    title: 'Async hooks enabled per call, never disabled',
    label: 'async hooks enabled per call',
    detail: "an async hook created and enabled per call is never disabled: Node's list of active hooks keeps each one, its callbacks and all they reach, and calls every one on each asynchronous operation",
    hint: 'hook.disable() when done, or create and enable one hook at start-up (AsyncLocalStorage for per-request state)',
  },
  {
    // vm.createContext(): a new global with all of JavaScript's builtins, which Node's native
    // ContextifyContext keeps (through the environment's cleanup queue) while its sandbox
    // object lives; the objects show only that native record on their path.
    classes: [],
    onPath: 'ContextifyContext',
    resource: 'vm context',
    title: 'vm contexts created per call and kept',
    label: 'vm contexts created per call',
    detail: 'each vm.createContext() makes a new global object with its own copy of every JavaScript builtin, and Node keeps it as long as its sandbox object is reachable: the sandboxes are kept, so every context stays',
    hint: 'reuse one context (vm.runInContext() on the same context, resetting what the script changes), or drop the sandbox object when done; to isolate untrusted code per call, run it in a Worker you terminate',
  },
  {
    classes: ['Socket', 'TCP', 'Pipe'],
    title: 'Sockets opened per call, never closed',
    label: 'sockets opened per call',
    detail: 'a socket opened per call is never closed or destroyed',
    hint: 'socket.end() or socket.destroy() when done',
  },
]

/**
 * An open resource that only native handles hold: the growth point's holder is the roots or
 * one of V8's subroots (Node's handles are global handles). The entry is then named by the
 * resource the user created, counted per call. A resource the program also keeps (in an
 * Array, a Set, a Map) may be reached through the program's collection first (a zlib stream
 * on Node 24, whose handle no longer holds it strongly): the same cause, under that holder.
 */
function openResource(point, path, h) {
  const fromRoots = h < 0 || path[h].nodeType === 'synthetic'
  // Known by a native record: on the path from the roots (Node 20, 22), or among what the
  // program's own holder keeps (Node 24 shows the sandbox's edge to it): named under that holder.
  const native = OPEN_RESOURCES.find(
    (r) => r.onPath && (fromRoots ? path.some((s) => s.name.endsWith(r.onPath)) : (point.breakdown || []).some((c) => c.name.endsWith(r.onPath))),
  )
  if (native) {
    const { classes, onPath, resource, label, ...cause } = native
    if (point.countPerIteration) {
      point.name = resource
      point.kind = 'object'
    }
    return { pattern: 'open-resource', ...cause, ...(fromRoots ? { label } : {}), holder: { resource } }
  }
  const held = new Map((point.breakdown || []).map((c) => [c.name, c]))
  const kind = fromRoots ? OPEN_RESOURCES.find((r) => r.classes.some((c) => held.has(c))) : OPEN_RESOURCES.find((r) => r.classes.includes(point.name))
  if (!kind) return null
  const { classes, objectsEach, label, always, ...cause } = kind
  const resource = classes.find((c) => held.has(c)) || point.name
  // Under the program's collection, named by it; under Node's own list, by what the user made.
  if (!fromRoots) return { pattern: 'open-resource', ...cause, ...(always ? { label } : {}), holder: { resource } }
  const calls = callsOf(point)
  if (calls) {
    point.name = resource
    point.kind = 'object'
    point.leadingCount = held.get(resource).count / (objectsEach || 1)
    point.countPerIteration = point.leadingCount / calls
  }
  return { pattern: 'open-resource', ...cause, label, holder: { resource } }
}

/**
 * ES modules are never unloaded: Node's ESM loader (a ModuleLoader) keeps every module it
 * loaded in its caches by URL, and Node's environment keeps each module's ModuleWrap through
 * native references. A module imported under a new URL per call (a cache-busting query) is
 * one more loaded module each time, whichever of those holders a growth point came through.
 */
function esModule(point, path, h) {
  const throughLoader = path.some((s) => s.name === 'ModuleLoader')
  const fromRoots = (h < 0 || path[h].nodeType === 'synthetic') && (point.name === 'ModuleWrap' || (point.breakdown || []).some((c) => c.name === 'ModuleWrap'))
  if (!throughLoader && !fromRoots) return null
  return {
    pattern: 'module-cache',
    title: 'ES modules imported under a new URL per call',
    label: "the ES module loader's cache",
    detail: 'import() of a URL not imported before loads a new module (a query string such as ?v=… makes a new URL), and ES modules are never unloaded: the loader keeps every one, its code and its top-level variables, for the life of the process',
    hint: 'import the module once under a fixed URL and call what it exports; to reload code, run it in a Worker and terminate the Worker, or evaluate it in a vm context you drop',
    holder: {},
  }
}

/**
 * CommonJS: require() of a file deleted from require.cache loads and runs it again as a new
 * Module, and Node adds each one to its parent Module's `children` array, which nothing trims:
 * every copy stays, with all it exports.
 */
function reloadedModule(point, path, h) {
  if (h < 1 || point.name !== 'Module' || path[h].edge !== 'children' || path[h - 1].name !== 'Module') return null
  return {
    pattern: 'module-cache',
    title: 'CommonJS module loaded again per call',
    label: path[h - 1].moduleFile ? `${moduleName(path[h - 1].moduleFile)}'s module.children` : undefined,
    detail: "require() after deleting the file from require.cache loads and runs it again as a new Module, and the parent module's `children` keeps every copy, with all it exports, for the life of the process",
    hint: 'require the module once and reuse what it exports (read data files with fs and JSON.parse); to reload code, also remove the old Module from its parent\'s `children`, or run it in a Worker you terminate',
    holder: {},
  }
}

/**
 * A value that grows in bytes, not in objects (`verdict.reason` 'grows-in-bytes'): a Buffer or
 * typed array replaced by a bigger copy, a string appended to, an Array of numbers. The fix
 * depends on what the bytes are for, so it names the usual ways: stream them out, keep a
 * bounded tail, aggregate.
 */
function grownInBytes(point, path, h) {
  const grown = point.bytesGrowth
  if (!grown || h < 0) return null
  const label = valueLabel(path, h, grown)
  const perCall = `${bytes(Math.round(grown.perCall))} per call`
  const holder = { variable: label, bytesPerCall: String(Math.round(grown.perCall)) }
  if (grown.form === 'numbers') {
    const numbers = Math.round(grown.perCall / 8)
    return {
      title: 'An Array of numbers that only grows',
      label,
      detail: `\`${label}\` gains ${numbers >= 1 ? `${numbers} number${numbers === 1 ? '' : 's'}` : 'numbers'} per call (${perCall}) and none is ever removed: an Array of every value measured, as long as the process lives`,
      hint: 'aggregate instead of keeping every value: a histogram (perf_hooks.createHistogram() keeps min, max, mean and percentiles in fixed memory) or running sums; if the values themselves are needed, keep the last N in a ring (a fixed-size array and an index that wraps) or write them out',
      holder,
    }
  }
  if (grown.form === 'string') {
    return {
      title: 'A string that only grows',
      label,
      detail: `\`${label}\` grows by ${perCall}: text is added to it on every call and nothing ever cuts it`,
      hint: 'write what you add to a stream or a log file as it comes (fs.createWriteStream) instead of keeping it in a string, or keep only its tail (text.slice(-N)) if the last lines are what you need',
      holder,
    }
  }
  const buffer = grown.value === 'Buffer' || grown.form === 'arrayBuffer'
  return {
    title: `${article(grown.value)} replaced by a bigger copy on every call`,
    label,
    detail: `\`${label}\` grows by ${perCall}: each call copies it with more appended${buffer ? ' (Buffer.concat)' : ''} and nothing ever cuts it, so the last copy holds everything since the start`,
    hint: buffer
      ? 'stream what you append to a file or a socket as it comes (fs.createWriteStream) instead of keeping it, or keep a bounded tail (a fixed-size ring buffer, or subarray(-N) of each copy)'
      : `allocate one ${grown.value} at the size it may reach and reuse it as a ring (an index that wraps), or aggregate the values (a histogram) instead of keeping each one`,
    holder,
  }
}

/**
 * The value's name as its user writes it: the variable (`webhookLog`), the object's property
 * (`stats.samples`), or the Array itself (`latencies`).
 */
function valueLabel(path, h, grown) {
  const slot = path[h + 1]
  if (slot && slot.edgeType === 'context' && IDENTIFIER.test(slot.edge)) return slot.edge
  const holder = holderLabel(path, h)
  // A Map's value, by its key when the key reads as code (never data).
  const key = /^get\((.*)\)$/.exec(grown.slot)
  if (key) return appendPart(holder, CODE_KEY.test(key[1]) ? grown.slot : 'get(…)')
  if (slot && slot.edgeType === 'property') return appendPart(holder, IDENTIFIER.test(symbolName(grown.slot)) ? symbolName(grown.slot) : '[…]')
  return holder
}

function diagnose(point) {
  const { path, h } = pathThroughHolder(point)
  const bytesCause = grownInBytes(point, path, h)
  if (bytesCause) return { pattern: 'grows-in-bytes', ...bytesCause }
  const modules = esModule(point, path, h) || reloadedModule(point, path, h)
  if (modules) return modules
  const resource = openResource(point, path, h)
  if (resource) return resource
  if (h >= 0) {
    for (const rule of RULES) {
      const found = rule.match(path, h, point)
      if (found) return { pattern: rule.pattern, ...found }
    }
  }
  return {
    pattern: 'unknown',
    title: 'No known pattern',
    detail: `${holderLabel(path, h)} gains the objects; its path fits none of the patterns leakhunt knows: read it from the root, the first holder you own is where to look`,
    hint: null,
    holder: {},
  }
}

/**
 * The path from the root through the holder on to the sample object, without the markers of
 * left-out steps, and the holder's index in it (-1 when the holder has no path).
 */
function pathThroughHolder(point) {
  const above = (point.retainerPath || []).filter((s) => !s.elided)
  return { path: [...above, ...(point.samplePath || []).filter((s) => !s.elided)], h: above.length - 1 }
}

/** The growth point's holder, named as its user would write it. */
function growthLabel(point) {
  const { path, h } = pathThroughHolder(point)
  // A scope that gains through one of its variables (reassigned to a value that keeps the one
  // before): the variable, as the user wrote it.
  const below = path[h + 1]
  if (h >= 0 && /Context$/.test(path[h].name) && below && below.edgeType === 'context' && IDENTIFIER.test(below.edge)) return below.edge
  return holderLabel(path, h)
}

/**
 * A Worker pipes its stdout and stderr (ReadableWorkerStdio streams) into the parent's
 * process.stdout and process.stderr, adding listeners there: those are the Workers' leak too,
 * folded into its entry.
 */
function withWorkerStdioTogether(report) {
  const workers = (report.leaks || []).find((p) => p.cause.pattern === 'open-resource' && p.cause.holder.resource === 'Worker')
  if (!workers) return
  // What stream.pipe() adds to its destination (here process.stdout or stderr, a TTY, a file
  // or a pipe): listeners for 'unpipe' and 'error', among others, one set per Worker.
  const piped = (p) => ['unpipe()', 'onerror()'].every((name) => (p.breakdown || []).some((c) => c.name === name))
  const stdio = (p) =>
    p !== workers &&
    p.cause.pattern === 'event-listener' &&
    p.countPerIteration === workers.countPerIteration &&
    ((p.breakdown || []).some((c) => /^(Readable|Writable)WorkerStdio$/.test(c.name)) || piped(p))
  const folded = report.leaks.filter(stdio)
  if (folded.length === 0) return
  workers.alongside = [
    ...(workers.alongside || []),
    ...folded.map(asSibling),
  ]
  report.leaks = report.leaks.filter((p) => !folded.includes(p))
}

/**
 * A module loaded per call shows up wherever it is kept (the loader's caches of loads and of
 * resolutions, the environment's ModuleWrap list): one leak, led by the loader's cache of
 * loaded modules, counted in modules.
 */
function withModulesTogether(report) {
  const held = (report.leaks || []).filter((p) => p.cause.pattern === 'module-cache')
  if (held.length === 0) return
  const throughLoad = (p) => (p.retainerPath || []).some((s) => s.edge === 'loadCache' || s.edge === 'moduleMap')
  const throughLoader = (p) => (p.retainerPath || []).some((s) => s.name === 'ModuleLoader')
  const lead = held.find(throughLoad) || held.find(throughLoader) || held[0]
  const modules = Math.max(0, ...held.flatMap((p) => (p.breakdown || []).filter((c) => c.name === 'ModuleWrap').map((c) => c.count)))
  if (modules > 0 && lead.countPerIteration) {
    const calls = callsOf(lead)
    lead.name = 'ES module'
    lead.kind = 'object'
    lead.leadingCount = modules
    lead.countPerIteration = modules / calls
  }
  const others = held.filter((p) => p !== lead)
  if (others.length === 0) return
  // Each sibling by its own path: the loader's other caches, or Node's environment.
  for (const p of others) {
    const { path, h } = pathThroughHolder(p)
    p.holder.label = h < 0 || path[h].nodeType === 'synthetic' ? "Node's environment (a ModuleWrap per module)" : growthLabel(p)
  }
  lead.alongside = [...(lead.alongside || []), ...others.map(asSibling)]
  report.leaks = report.leaks.filter((p) => !others.includes(p))
}

/** Adds `cause` and `holder.label` to every growth point of a report (leaks and retained). */
function withCauses(report) {
  for (const point of [...(report.leaks || []), ...(report.retained || [])]) {
    point.cause = diagnose(point)
    // A rule may name the holder better than its path does (Node's timer lists).
    if (point.holder) point.holder.label = point.cause.label || growthLabel(point)
    delete point.cause.label
    for (const other of point.alongside || []) other.holder.label = growthLabel(other)
    for (const other of point.sharedWith || []) other.holder.label = holderLabel(other.retainerPath, other.retainerPath.length - 1)
  }
  withWorkerStdioTogether(report)
  withModulesTogether(report)
  return report
}

module.exports = { diagnose, withCauses, holderLabel, PATTERNS: RULES.map((r) => r.pattern) }
