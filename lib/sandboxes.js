'use strict'
// Finished test files that stay alive. Jest runs each test file in a vm context of its own
// (a realm: its own global, builtins, module registry); Vitest's vm pools do too. A finished
// file's realm can stay alive only through something outside it, and a suite whose files all
// stay alive climbs until "JavaScript heap out of memory". The test runner's environment calls
// watch() for each file's global and finished() after its teardown; check() then forces GCs,
// and for each finished realm still alive takes one heap snapshot that says what keeps it
// (src/realms.rs), grouped by that holder.
//
// Nothing here holds a realm strongly: each global is held through a WeakRef hung under a key
// made for it (the snapshot finds the realm by that key), and a FinalizationRegistry made in
// this (the outer) realm says when one is gone.
const path = require('node:path')
const v8 = require('node:v8')
const { gc, cacheLineEndsHere } = require('./gc.js')
const { bytes, madeAtText } = require('./phrases.js')

// Shared by every copy of this module in the process (a project may resolve leakhunt twice:
// the environment from the project, the CLI from elsewhere).
const STATE = Symbol.for('leakhunt.sandboxes')
const state = (globalThis[STATE] ||= { sandboxes: new Map(), counter: 0, registry: null })
state.registry ||= new FinalizationRegistry((key) => {
  const s = state.sandboxes.get(key)
  if (s) s.collected = true
})

/**
 * Watches a test file's global object (its realm). Returns the key that names it.
 * @param {object} global  the file's vm context global
 * @param {string} file  the test file
 * @param {string} [runner]  'jest' or 'vitest'
 */
function watch(global, file, runner = 'jest') {
  const key = `leakhunt:sandbox:${process.pid}:${++state.counter}`
  state.sandboxes.set(key, { key, file, runner, order: state.counter, finished: false, collected: false, holder: { [key]: new WeakRef(global) } })
  state.registry.register(global, key)
  return key
}

/** Names the file a watched realm runs, once it is known (Vitest's vm pools tell it late). */
function name(key, file) {
  const s = state.sandboxes.get(key)
  if (s && file) s.file = file
}

/** Marks a file's realm finished: its environment's teardown ran. */
function finished(key) {
  const s = state.sandboxes.get(key)
  if (s) s.finished = true
}

const turn = () => new Promise((resolve) => setImmediate(resolve))

/**
 * Collects what can be, each GC in a turn of its own (a WeakRef read keeps its target until
 * the job ends), until a GC lets no more finished realms go or `rounds` pass. Two GCs at
 * least: what a finished file's FinalizationRegistry callbacks and weak callbacks release
 * goes in the second. Each costs a full GC of a heap that kept files make large (545 MB
 * for 200 kept files: 0.6 s each), so no more than that.
 */
async function collectFinished(rounds = 6) {
  let before = -1
  for (let round = 0; round < rounds; round++) {
    await turn()
    await gc()
    await turn()
    const left = finishedAlive().length
    if (round >= 1 && left === before) break
    before = left
  }
}

function finishedAlive() {
  return [...state.sandboxes.values()].filter((s) => s.finished && !s.collected && s.holder[s.key].deref() !== undefined)
}

/**
 * Which finished test files' realms stay alive after their teardown and full GCs, and what
 * keeps each, grouped by that holder. One heap snapshot, only when some realm stayed alive.
 * Files whose tests failed are not checked: the runner keeps their errors for its report, and
 * an error's stack keeps the realm it was thrown in (jestjs/jest#15222: failures taken for
 * leaks).
 * `runnerDirs`: where the test runner is installed; what only its functions keep is its doing.
 * @param {{ root?: string, failed?: Iterable<string>, runnerDirs?: string[] }} [options]
 */
async function check(options = {}) {
  const started = performance.now()
  const root = options.root || process.cwd()
  const failed = new Set([...(options.failed || [])].map((f) => path.resolve(f)))
  await collectFinished()
  const all = [...state.sandboxes.values()]
  const finishedCount = all.filter((s) => s.finished).length
  const notChecked = all.filter((s) => s.finished && s.file && failed.has(path.resolve(s.file)))
  let alive = finishedAlive().filter((s) => !notChecked.includes(s))
  // Files still finishing are not checked, but their realms are named to the analysis too: a
  // chain through the last file's objects then starts where it leaves the process's objects.
  let finishing = all.filter((s) => !s.finished && !s.collected && s.holder[s.key].deref() !== undefined)
  await turn() // out of the job whose deref() kept them
  const report = {
    schemaVersion: 1,
    files: finishedCount - notChecked.length,
    kept: [],
    groups: [],
    unfinished: all.filter((s) => !s.finished && !s.collected).map((s) => relative(root, s.file)),
    failedNotChecked: notChecked.map((s) => relative(root, s.file)),
    // Files that only the runner's records of their ES modules keep (see format()).
    keptByRunner: [],
    heapUsed: process.memoryUsage().heapUsed,
    snapshotMs: 0,
    analysisMs: 0,
    totalMs: 0,
  }
  let heads = new Map()
  if (alive.length > 0) {
    // Do no harm: a snapshot costs per object, and a suite near its heap limit has many.
    try {
      const { checkLocalSnapshotRoom } = require('./room.js')
      await checkLocalSnapshotRoom('check of the finished test files', {
        instead: 'the files below stay alive; run fewer test files at once (a subset of the suite) to see what keeps them',
        mayCount: true,
      })
    } catch (err) {
      if (err.code !== 'ERR_LEAKHUNT_NO_ROOM') throw err
      report.noRoom = err.message
      for (const s of alive) {
        report.kept.push({ file: relative(root, s.file), order: s.order, retainedSize: 0, ...heldBy(null, root), holder: '(not known: no room for a heap snapshot)', through: null, retainerPath: [] })
      }
      alive = []
    }
  }
  if (alive.length > 0) {
    const t0 = performance.now()
    await cacheLineEndsHere() // ts-jest's TypeScript compiler: 25 s to snapshot on Node 20 without
    const { takeSnapshot } = require('./snapshot.js')
    require('./heap-snapshot.js')
    const snapshot = await takeSnapshot()
    const t1 = performance.now()
    const keys = alive.map((s) => s.key)
    const checked = new Set(keys)
    keys.push(...finishing.map((s) => s.key))
    alive = null
    finishing = null
    const realms = await snapshot.keptRealms(keys, options.runnerDirs || [])
    // What a chain's head is kept by, for files kept through a file still finishing.
    heads = new Map(realms.filter((r) => !checked.has(r.key) && r.entry).map((r) => [relative(root, state.sandboxes.get(r.key).file), r.entry]))
    report.snapshotMs = t1 - t0
    report.analysisMs = performance.now() - t1
    // Where the references were made, in the code the user wrote: a test file transformed by
    // babel-jest or ts-jest, a bundle, tsc's output.
    const { mapPlacesAsRun } = require('./source-maps.js')
    await mapPlacesAsRun(realms.filter((r) => r.entry && r.entry.madeAt).map((r) => r.entry.madeAt))
    for (const realm of realms) {
      if (!checked.has(realm.key) || !realm.found || !realm.heldByProgram) continue
      if (realm.keptByRunner) {
        report.keptByRunner.push({ file: relative(root, state.sandboxes.get(realm.key).file), retainedSize: realm.ownSize, holder: realm.entry ? realm.entry.holder : null, retainerPath: realm.retainerPath })
        continue
      }
      const s = state.sandboxes.get(realm.key)
      const entry = realm.entry
      report.kept.push({
        file: relative(root, s.file),
        order: s.order,
        retainedSize: realm.ownSize,
        ...heldBy(entry, root, realm.retainerPath),
        ...(!entry && { holder: describeRoot(realm) }),
        through: entry && entry.throughKey ? relative(root, state.sandboxes.get(entry.throughKey).file) : null,
        retainerPath: realm.retainerPath,
      })
    }
  }
  // What an early check (near the heap limit) found before: those files were let go of here.
  if (state.early) {
    report.kept.push(...state.early.kept)
    report.keptByRunner.push(...state.early.keptByRunner)
    report.files += state.early.files
    report.early = { files: state.early.files, heapUsed: state.early.heapUsed }
    state.early = null
  }
  report.kept.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  report.groups = group(report.kept, report.files, heads, root, all.length > 0 ? all[0].runner : 'jest')
  for (const s of all) if (s.finished) state.sandboxes.delete(s.key)
  report.totalMs = performance.now() - started
  return report
}

/**
 * One report from the reports of Jest's workers, each of which checked the files it ran: the
 * kept files grouped again across workers (each worker's copy of a package keeps its files
 * through the same holder, made by the same line).
 * @param {object[]} reports
 * @param {string} root
 */
function merge(reports, root) {
  const all = (field) => reports.flatMap((r) => r[field] || [])
  const sum = (field) => reports.reduce((n, r) => n + (r[field] || 0), 0)
  const report = {
    schemaVersion: 1,
    files: sum('files'),
    kept: all('kept').sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
    groups: [],
    unfinished: all('unfinished'),
    failedNotChecked: all('failedNotChecked'),
    keptByRunner: all('keptByRunner'),
    heapUsed: Math.max(0, ...reports.map((r) => r.heapUsed || 0)),
    snapshotMs: sum('snapshotMs'),
    analysisMs: sum('analysisMs'),
    totalMs: Math.max(0, ...reports.map((r) => r.totalMs || 0)),
    workers: reports.length,
  }
  const noRoom = reports.find((r) => r.noRoom)
  if (noRoom) report.noRoom = noRoom.noRoom
  const early = reports.filter((r) => r.early)
  if (early.length > 0) report.early = { files: early.reduce((n, r) => n + r.early.files, 0), heapUsed: Math.max(...early.map((r) => r.early.heapUsed)) }
  const ranWith = new Map(reports.flatMap((r) => (r.kept || []).map((k) => [k.file, r.files || 0])))
  report.groups = group(report.kept, report.files, new Map(), root, 'jest', (file) => ranWith.get(file) ?? report.files)
  return report
}

/**
 * A timer the file started, named as one: Node's list of the timers of one duration holds it,
 * reached through whichever function of the timers module the shortest path took (its scope
 * holds the lists) and at whatever place in the list; none of that is a core module's
 * function replaced, and each file's timer would otherwise read as a holder of its own.
 */
function timerHolder(entry) {
  const inList = /\(its variable timerListMap\)\[\[(\d+)\]\]/.exec(entry.holder || '')
  if (entry.holderClass === 'Immediate') return 'an immediate (setImmediate) not yet run'
  if (!inList && entry.holderClass !== 'Timeout' && entry.holderClass !== 'TimersList') return null
  return inList ? `a timer of ${inList[1]} ms (setTimeout/setInterval)` : 'a timer (setTimeout/setInterval)'
}

// An object a program reaches by name from any file (process.stdout, require('http').globalAgent),
// as src/realms.rs writes it: every file's, so nothing a file may close.
const BY_NAME = /(?:process|require\('[^']+'\))(?:\.[\w$]+)*/
const NAMED_EMITTER = new RegExp(`^(${BY_NAME.source})\\._events[.[]`)
const IS_NAMED = new RegExp(`^${BY_NAME.source}$`)

/**
 * A listener the file added to an emitter outside it (a server it left listening, a shared
 * bus), named by the emitter's class and the event: the path reaches it through the emitter's
 * `_events`, and the listener list alone (`Object.request`) says nothing.
 */
function listenerHolder(entry, path) {
  const at = path.findIndex((step, i) => i > 0 && step.edge === '_events' && path[i + 1] && (path[i + 1].edge === entry.edge || path[i + 2]?.edge === entry.edge))
  if (at < 0) return null
  // An emitter the program reaches by name (process.stdout, process) is said so: it is every
  // file's, where a Socket could be one the file opened.
  const once = (entry.holder || '').split('._events').length === 2 // else the listener is on an emitter further on
  const named = once && NAMED_EMITTER.exec(entry.holder)
  return `${named ? named[1] : path[at - 1].name}'s '${path[at + 1].edge}' listener`
}

/** A diagnostics_channel subscription: the channel's `_subscribers` holds the file's function. */
const channelHolder = (path) => (path.some((step, i) => step.name === 'Channel' && path[i + 1] && path[i + 1].edge === '_subscribers') ? 'a diagnostics_channel subscriber' : null)

/**
 * An element of a list outside (an array of handlers, subscribers): each file's is at its own
 * index, which says nothing and would make each file a holder of its own; and adding to a core
 * module's list is no replacement of its member.
 */
const elementHolder = (entry) => (/^\[\d+\]$/.test(entry.edge) && /\[\[\d+\]\]$/.test(entry.holder || '') ? `${entry.holder.replace(/\[\[\d+\]\]$/, '')} (an element)` : null)

/** What keeps a file, as the report gives it, from where its path crosses in (src/realms.rs). */
function heldBy(entry, root, path = []) {
  const madeAt = entry && entry.madeAt && entry.madeAt.scriptName ? entry.madeAt : null
  const timer = entry ? timerHolder(entry) : null
  const channel = entry && !timer ? channelHolder(path) : null
  const listener = entry && !timer && !channel ? listenerHolder(entry, path) : null
  const element = entry && !timer && !channel && !listener ? elementHolder(entry) : null
  const named = timer || channel || listener || element
  return {
    holder: entry ? named || entry.holder : null,
    holderId: entry ? entry.holderId : 0,
    reference: entry ? { name: entry.firstName, type: entry.firstType, edge: entry.edge } : null,
    madeBy: entry ? entry.madeBy : null,
    madeAt: madeAt ? { ...madeAt, scriptName: relative(root, madeAt.scriptName), ...(madeAt.generated && { generated: { ...madeAt.generated, scriptName: relative(root, madeAt.generated.scriptName) } }) } : null,
    coreModule: entry && !named ? entry.coreModule : null,
    holderClass: entry ? (timer ? 'Timeout' : channel ? 'Channel' : entry.holderClass) : null,
    release: entry && entry.release ? { className: entry.release[0], method: entry.release[1] } : null,
    releaseCall: entry && entry.releaseCall ? entry.releaseCall : null,
  }
}

function describeRoot(realm) {
  const first = realm.retainerPath[0]
  return first ? first.name : '(unknown)'
}

function relative(root, file) {
  if (!file || typeof file !== 'string') return file
  if (file.startsWith('file://')) file = require('node:url').fileURLToPath(file)
  if (!path.isAbsolute(file)) return file
  const rel = path.relative(root, file)
  return rel.startsWith('..') ? file : rel
}

/**
 * One entry per holder: files kept by the same object outside, and files kept only through
 * another kept file's objects (a chain: each file's objects hold the previous one's), which
 * belong to the entry of the file their path enters first.
 */
function group(kept, files, heads = new Map(), root = process.cwd(), runner = 'jest', ranWith = () => files) {
  const byFile = new Map(kept.map((k) => [k.file, k]))
  const head = (k) => {
    let at = k
    for (let i = 0; i < kept.length && at.through && byFile.has(at.through); i++) at = byFile.get(at.through)
    // A chain that starts in a file still finishing: its head is where that file is held.
    const entry = at.through && heads.get(at.through)
    return entry ? { ...at, ...heldBy(entry, root) } : at
  }
  const groups = new Map()
  for (const k of kept) {
    const h = head(k)
    // Each file may have an object of its own outside (an AsyncHook per file's copy of a
    // package): the same holder, reached the same way, made by the same line, is one entry.
    // …and an object each file made in its own code (its own server, its handler) is one kind.
    const made = !h.madeAt ? '' : h.madeAt.scriptName === h.file ? '(the file itself)' : `${h.madeAt.scriptName}:${h.madeAt.line}:${h.madeAt.column}`
    const id = `${h.holder}|${made}`
    if (!groups.has(id)) {
      groups.set(id, {
        holder: h.holder,
        holderClass: h.holderClass,
        coreModule: h.coreModule,
        reference: h.reference,
        madeBy: h.madeBy,
        madeAt: h.madeAt,
        release: h.release,
        releaseCall: h.releaseCall,
        chain: false,
        files: [],
        retainedSize: 0,
        fix: '',
      })
    }
    const g = groups.get(id)
    g.files.push(k.file)
    g.retainedSize += k.retainedSize
    if (k.through) g.chain = true
  }
  const list = [...groups.values()].sort((a, b) => b.files.length - a.files.length || b.retainedSize - a.retainedSize)
  for (const g of list) {
    g.averageSize = Math.round(g.retainedSize / g.files.length)
    g.ofFiles = files
    // How many files shared a process with the group's: a worker that ran one file says
    // nothing of whether a change stands once or once per file.
    g.fix = fixFor(g, runner, Math.max(...g.files.map(ranWith)))
  }
  return list
}

/** What to do, in the words of what keeps the files; `ranWith`: files run in the group's process. */
function fixFor(g, runner, ranWith) {
  const setupFile = runner === 'vitest' ? 'a setupFiles file' : 'a setupFilesAfterEnv file'
  const made = g.madeAt ? ` (${g.madeAt.scriptName}:${g.madeAt.line})` : ''
  const inPackage = g.madeAt && /node_modules[\\/]/.test(g.madeAt.scriptName || '')
  const pkg = inPackage ? packageOf(g.madeAt.scriptName) : null
  const who = pkg ? `the package ${pkg}` : `the code${made}`
  if (g.coreModule) {
    const own = g.reference && g.reference.type === 'closure' ? `function ${g.reference.name}` : g.madeBy ? `${g.madeBy}` : 'object'
    // One file of several, not through another: the change that stands was made once (a
    // package that checks whether it already patched, the one file that does it) or each file
    // replaced the last one's; either way it costs one file, not one per file, and "a version
    // that patches once per process" would be what it already is.
    if (g.files.length === 1 && !g.chain && ranWith > 1) {
      return `${who} replaces ${g.holder} with its own ${own}${pkg ? made : ''}, and the change that stands is ${g.files[0]}'s: core modules are shared by every test file, so that one file stays alive, a cost that does not grow with the suite; if it matters, undo the change in an afterAll of that file${pkg ? ` (with the package's own restore, if it has one, or by putting back ${g.holder})` : ''}`
    }
    const base = `${who} replaces ${g.holder} with its own ${own}${pkg ? made : ''}; core modules are shared by every test file, so each file's copy of ${pkg || 'that module'} keeps the file alive`
    const move = pkg
      ? `undo it in an afterAll of ${setupFile} (with the package's own restore, if it has one, or by putting back ${g.holder}), or use a version of ${pkg.replace(/(.)@[^@/]*$/, '$1')} that makes this change only once per process`
      : `restore the original in afterAll, or make the change once for the run in globalSetup`
    return `${base}: ${move}`
  }
  const release = g.release && g.release.className !== 'Timeout' ? `${g.release.className}'s ${g.release.method}()` : null
  if (g.holderClass === 'Timeout' || /\bTimeout\b|TimersList|Immediate/.test(g.holder) || (g.release && g.release.className === 'Timeout')) {
    // clearInterval needs the timer, which a package keeps to itself: what the user holds is
    // the object that started it (its stop(), on the file's variable where one holds it), and
    // with none (lru-cache's ttlAutopurge timeouts), the package's cleanup or no such timer.
    if (g.releaseCall) return `a timer started by ${who} still runs after the file finished: stop it in afterAll with ${g.releaseCall}`
    if (release) return `a timer started by ${who} still runs after the file finished: stop it in afterAll with ${release}, called on the ${g.release.className} that started it`
    if (pkg) return `a timer started by ${who} still runs after the file finished, and the package keeps it to itself: call the package's own cleanup in afterAll if it has one, or keep that timer out of the test files (fake timers, or the option that starts it turned off in tests)`
    return `a timer started by ${who} still runs after the file finished: stop it in afterAll (clearInterval/clearTimeout)`
  }
  if (g.holderClass === 'AsyncHook' || (g.release && g.release.className === 'AsyncHook')) {
    return `an async hook enabled by ${who} stays enabled after the file finished, and Node keeps every enabled hook: disable() it in afterAll${pkg ? `, or use AsyncLocalStorage instead of ${pkg}` : ''}`
  }
  if (g.holderClass === 'Channel') {
    return `a diagnostics_channel subscription made by ${who} stays after the file finished (Node keeps a channel's subscribers): unsubscribe it in afterAll (diagnostics_channel.unsubscribe(name, fn))`
  }
  // What a package made and holds, the user cannot release by hand.
  if (release && g.releaseCall) {
    return `${g.holder} (outside the test file) holds ${g.reference ? g.reference.name : 'an object'} made by ${who}, which keeps that ${g.release.className}: call ${g.releaseCall} in afterAll`
  }
  if (release && pkg) {
    return `${g.holder} (outside the test file) holds ${g.reference ? g.reference.name : 'an object'} made by ${who}, which keeps that ${g.release.className}: call the package's own cleanup in afterAll if it has one (it has to call ${release}), or keep the call that starts it out of the test files (mock it, or make it once per process)`
  }
  const listener = /^(.+)'s '(.+)' listener$/.exec(g.holder)
  if (listener && !release) {
    const [, emitter, event] = listener
    const shared = IS_NAMED.test(emitter)
    const off = shared ? `${emitter}.off('${event}', listener)` : `off('${event}', listener) on that ${emitter}`
    const a = /^[aeiou]/i.test(event) ? 'an' : 'a'
    return `${who} adds ${a} '${event}' listener to ${emitter}, which ${shared ? 'every test file shares' : 'outlives the test file'}: remove it in afterAll (${off})`
  }
  if (release) return `${g.holder} (outside the test file) holds ${g.reference ? g.reference.name : 'an object'} made by ${who}: call ${release} in afterAll`
  return `${g.holder} (outside the test file) holds ${g.reference ? g.reference.name : 'an object'} made by ${who}: release it in afterAll, or make it once for the run in globalSetup`
}

function packageOf(file) {
  const parts = file.split(/[\\/]/)
  const at = parts.lastIndexOf('node_modules')
  if (at < 0) return null
  const name = parts[at + 1]
  if (!name) return null
  const full = name.startsWith('@') ? `${name}/${parts[at + 2]}` : name
  try {
    const pkgDir = parts.slice(0, at + (name.startsWith('@') ? 3 : 2)).join(path.sep)
    const { name: named, version } = JSON.parse(require('node:fs').readFileSync(path.join(pkgDir, 'package.json'), 'utf8'))
    return `${named || full}@${version}`
  } catch {
    return full
  }
}

/**
 * The directories a test runner is installed in: its package and every package it depends
 * on, followed through their package.json files, less the packages the project depends on
 * itself (those are the project's code, even where the runner uses them too).
 * @param {string} entryDir  the runner's package directory
 * @param {string} projectDir
 */
function runnerDirs(entryDir, projectDir) {
  const memo = `${entryDir}\0${projectDir}`
  state.runnerDirs ||= new Map()
  if (!state.runnerDirs.has(memo)) state.runnerDirs.set(memo, installedDirs(entryDir, projectDir))
  return state.runnerDirs.get(memo)
}

function installedDirs(entryDir, projectDir) {
  const fs = require('node:fs')
  const readJson = (file) => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8'))
    } catch {
      return null
    }
  }
  const project = readJson(path.join(projectDir, 'package.json')) || {}
  const own = new Set(Object.keys({ ...project.dependencies, ...project.devDependencies, ...project.optionalDependencies }))
  const dirs = new Set()
  const queue = [fs.realpathSync(entryDir)]
  while (queue.length > 0 && dirs.size < 2000) {
    const dir = queue.pop()
    if (dirs.has(dir)) continue
    dirs.add(dir)
    const pkg = readJson(path.join(dir, 'package.json'))
    if (!pkg) continue
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      if (own.has(dep)) continue
      const found = packageDir(dep, dir)
      if (found) queue.push(found)
    }
  }
  return [...dirs].map((d) => d + path.sep)
}

/** Where `name` is installed as seen from `from`: up the node_modules directories. */
function packageDir(name, from) {
  const fs = require('node:fs')
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name)
    if (fs.existsSync(path.join(candidate, 'package.json'))) return fs.realpathSync(candidate)
    if (path.dirname(dir) === dir) return null
  }
}

/** The report as text. */
function format(report) {
  const lines = []
  if (report.note) {
    lines.push(`leakhunt: no test file was checked: ${report.note}`)
  } else if (report.groups.length === 0) {
    lines.push(`leakhunt: no finished test file stays alive (${report.files} checked)`)
  } else {
    const kept = report.kept.length
    lines.push(`leakhunt: ${kept} of ${report.files} finished test files stay alive`)
    for (const g of report.groups) {
      lines.push('')
      const one = g.files.length === 1
      lines.push(`${g.files.length} of ${g.ofFiles} test files ${one ? 'is' : 'are'} kept by ${g.holder}${g.chain ? ' (a chain: each file keeps the one before it)' : ''}, ${bytes(g.averageSize)}${one ? '' : ' each'}`)
      if (g.reference) lines.push(`  it holds ${g.reference.name}${madeAtText(g)}`)
      lines.push(`  fix: ${g.fix}`)
      const shown = g.files.slice(0, 5)
      lines.push(`  files: ${shown.join(', ')}${g.files.length > shown.length ? `, … ${g.files.length - shown.length} more` : ''}`)
    }
  }
  if (report.keptByRunner && report.keptByRunner.length > 0) {
    const n = report.keptByRunner.length
    const each = bytes(Math.round(report.keptByRunner.reduce((sum, k) => sum + k.retainedSize, 0) / n))
    lines.push(
      `(${n} of ${report.files} files are also kept, ${each} each, only by the test runner's own machinery (its functions, or Node's records of the ES modules it loaded into each file's context): the runner's doing, not the files'${report.vitest || report.runner === 'vitest' ? ". In Vitest's vm pools, let the pool recycle its workers (poolOptions.vmThreads.memoryLimit) or use pool 'threads' or 'forks'" : ''})`,
    )
  }
  if (report.failedNotChecked.length > 0) {
    lines.push(`(${report.failedNotChecked.length} file(s) with failing tests were not checked: Jest keeps their errors, and an error keeps the file it was thrown in)`)
  }
  if (report.unfinished.length > 0) lines.push(`(${report.unfinished.length} file(s) had not finished their teardown and were not checked)`)
  return lines.join('\n')
}

/** Whether the heap nears its limit: then the check runs before the suite crashes. */
function nearHeapLimit(share = NEAR_LIMIT) {
  const { used_heap_size: used, heap_size_limit: limit } = v8.getHeapStatistics()
  return used > share * limit
}

/** Heap used, as a share of V8's limit, from which the files finished so far are checked: the
 * limit counts the young generation too, which a small heap (--max-old-space-size=160: 218 MB)
 * never fills, and the heap at a file's start holds the files before it. */
const NEAR_LIMIT = 0.6

/**
 * Before a file starts: when the heap nears its limit, the files finished so far are checked
 * now, and what keeps them printed at once, so that a suite about to die of "JavaScript heap
 * out of memory" is still explained; the final check adds them to its report. Once a run.
 * @param {{ root?: string, runnerDirs?: string[], write?: (text: string) => void }} [options]
 */
async function checkIfNearHeapLimit(options = {}) {
  if (state.early || state.earlyDone || !nearHeapLimit()) return null
  state.earlyDone = true
  const { heap_size_limit: limit } = v8.getHeapStatistics()
  const report = await check(options)
  state.early = report
  const write = options.write || ((text) => process.stderr.write(text))
  write(`\nleakhunt: the heap is at ${Math.round((100 * report.heapUsed) / limit)}% of its limit (${bytes(limit)}); what keeps the test files finished so far:\n${format(report)}\n`)
  return report
}

module.exports = { watch, name, finished, check, merge, checkIfNearHeapLimit, runnerDirs, format, nearHeapLimit }
