'use strict'
// attach(): the hunt of hunt(), run on a process leakhunt does not live in (a Node service
// started with --inspect or sent SIGUSR1, a Chrome or Electron page), through its inspector.
// The same HuntRun (lib/hunt.js) drives it over a RemoteHeap: snapshots stream from the
// target's WebSocket into the native parser on a worker thread (src/inspector.rs) and never
// reach JavaScript; GC, heap usage and the id checks are inspector commands.
const fs = require('node:fs')
const http = require('node:http')
const https = require('node:https')
const os = require('node:os')
const { spawn } = require('node:child_process')
const binding = require('./binding.js')
const { callNative, invalidArg, codedError, checkOptions: checkKnown } = require('./errors.js')
const { HuntRun, idsReset, sizeNeedsLength, checkOptions: checkHuntOptions } = require('./hunt.js')
const { SUPPORTED, platformName, wasiForced } = require('./platform.js')
const { profileGrowth, profileReport, toSpeedscope } = require('./profile.js')
const { cacheLineEnds } = require('./gc.js')
const { snapshotCost, checkSnapshotRoom, checkCountRoom } = require('./room.js')

const PROBE_GROUP = 'leakhunt-ids-probe'
const ACTION_GROUP = 'leakhunt-action'
const DEFAULT_INSPECTOR_PORT = 9229

const ATTACH_OPTIONS = {
  target: undefined,
  pid: undefined,
  request: undefined,
  eval: undefined,
  command: undefined,
  wait: undefined,
  ignoreMemoryCheck: false,
  profile: undefined,
  samplingInterval: undefined,
  speedscope: undefined,
}

/**
 * Hunts a leak in another process through its inspector: `target` is `host:port`, a `ws://`
 * URL, or a DevTools HTTP endpoint (`http://127.0.0.1:9222`); or `{ pid }` opens a Node
 * process's inspector with SIGUSR1 first. The action runs once per call (see index.d.ts).
 * @returns {Promise<import('../index').HuntReport>}
 */
async function attach(target, options = {}) {
  if (options === null || typeof options !== 'object') throw invalidArg('options', 'an object', options)
  const attachKeys = Object.fromEntries(Object.keys(ATTACH_OPTIONS).filter((k) => options[k] !== undefined).map((k) => [k, options[k]]))
  const huntKeys = Object.fromEntries(Object.entries(options).filter(([k]) => !(k in ATTACH_OPTIONS)))
  const a = checkKnown(attachKeys, ATTACH_OPTIONS, 'attach')
  if (huntKeys.keepSnapshots !== undefined) throw invalidArg('options.keepSnapshots', 'undefined (attach does not write snapshot files)', huntKeys.keepSnapshots)
  const wait = checkAction(a)
  if (a.profile !== undefined) return profileAttached(target, a, huntKeys)
  // --wait: the service's own traffic, one call per second, so counts per call are per second.
  if (wait !== undefined) huntKeys.iterations = huntKeys.iterations ?? Math.max(1, Math.round(wait / 1000))
  const o = checkHuntOptions(huntKeys)
  const url = await connectUrl(target, a)
  const remote = new binding.RemoteInspector()
  await callNative(() => remote.connect(url))
  const heap = new RemoteHeap(remote, { ignoreMemoryCheck: a.ignoreMemoryCheck, local: a.pid !== undefined || isLoopback(url) })
  const session = new binding.HuntSession()
  const where = { phase: 'warmup', iteration: 0, of: o.warmup }
  try {
    if (a.pid !== undefined) await heap.checkPid(a.pid)
    const fn = actionOf(a, heap, wait)
    const report = await new HuntRun(fn, o, heap, session, where).run()
    report.summary.attached = { url, kind: await heap.kind(), action: describeAction(a), memoryCheck: heap.memoryCheck, snapshotEstimate: heap.snapshotEstimate || null }
    return report
  } finally {
    session.clear()
    await heap.close()
  }
}

function refuseInWasm() {
  if (binding.leakhuntCore.kind === 'wasm') {
    // WASI gives the WebAssembly core no sockets: the inspector's WebSocket needs a native one.
    throw codedError(
      'ERR_LEAKHUNT_WASI_UNSUPPORTED',
      `leakhunt attach needs the native core, and this process runs the WebAssembly fallback (leakhunt-wasm32-wasi${wasiForced() ? ', forced by NAPI_RS_FORCE_WASI' : `: no native core for ${platformName()}`}), which cannot open the inspector's WebSocket. In-process hunts, monitor() and analyze work with it; attach from a machine with a native core (${SUPPORTED.join(', ')}).`,
    )
  }
}

/**
 * attach(target, { profile: ms }): no snapshot. The target's sampling heap profiler runs for
 * `ms` while the action repeats (or its own traffic runs), and the allocation sites whose live
 * memory grows are the report (lib/profile.js).
 */
async function profileAttached(target, a, rest) {
  if (!(Number.isFinite(a.profile) && a.profile >= 2000)) throw invalidArg('options.profile', 'a duration in milliseconds, at least 2000', a.profile)
  if (a.samplingInterval !== undefined && !(Number.isInteger(a.samplingInterval) && a.samplingInterval >= 1024)) {
    throw invalidArg('options.samplingInterval', 'a number of bytes, at least 1024', a.samplingInterval)
  }
  if (a.speedscope !== undefined && typeof a.speedscope !== 'string') throw invalidArg('options.speedscope', 'a file path', a.speedscope)
  const { signal, onProgress, ...others } = rest
  const unknown = Object.keys(others).filter((k) => others[k] !== undefined)
  if (unknown.length > 0) throw invalidArg(`options.${unknown[0]}`, 'undefined with options.profile (a profile takes no snapshot and makes no calls count)', others[unknown[0]])
  const url = await connectUrl(target, a)
  const remote = new binding.RemoteInspector()
  await callNative(() => remote.connect(url))
  const heap = new RemoteHeap(remote, { ignoreMemoryCheck: true, local: a.pid !== undefined || isLoopback(url) })
  try {
    if (a.pid !== undefined) await heap.checkPid(a.pid)
    const act = a.wait !== undefined ? null : actionOf(a, heap, a.wait)
    const durationMs = a.wait !== undefined ? Math.max(a.wait, a.profile) : a.profile
    const run = await profileGrowth({
      call: (method, params) => callNative(() => remote.call(method, JSON.stringify(params))),
      act,
      durationMs,
      samplingInterval: a.samplingInterval,
      signal,
      onProgress,
    })
    const report = profileReport(run, { attached: { url, kind: await heap.kind(), action: describeAction(a) } })
    if (a.speedscope !== undefined) {
      // Stacks and function names only, no heap contents; private all the same, as our reports are.
      fs.writeFileSync(a.speedscope, JSON.stringify(toSpeedscope(run.series)), { mode: 0o600 })
      report.summary.speedscope = a.speedscope
    }
    return report
  } finally {
    await heap.close()
  }
}

/** The target's WebSocket URL; with `pid`, after SIGUSR1 opened its inspector. */
async function connectUrl(target, a) {
  if (target === undefined && a.pid === undefined) throw invalidArg('target', 'an inspector address, a ws:// URL or a DevTools endpoint (or options.pid)', target)
  if (target !== undefined && typeof target !== 'string') throw invalidArg('target', 'a string', target)
  if (target !== undefined && a.pid !== undefined) throw invalidArg('target', 'undefined with options.pid (the inspector SIGUSR1 opens is 127.0.0.1:9229)', target)
  refuseInWasm()
  const opened = a.pid !== undefined ? await openInspector(a.pid) : null
  return webSocketUrl(opened ? `127.0.0.1:${DEFAULT_INSPECTOR_PORT}` : target, a.target)
}

function checkAction(a) {
  const given = ['request', 'eval', 'command', 'wait'].filter((k) => a[k] !== undefined)
  if (given.length !== 1) {
    throw codedError('ERR_INVALID_ARG_VALUE', `attach needs exactly one action (request, eval, command or wait), got ${given.length ? given.join(', ') : 'none'}`)
  }
  if (a.request !== undefined) {
    const r = typeof a.request === 'string' ? { url: a.request } : a.request
    if (!r || typeof r.url !== 'string') throw invalidArg('options.request', 'a URL or { url, method?, headers?, body? }', a.request)
    let parsed
    try {
      parsed = new URL(r.url)
    } catch {
      throw invalidArg('options.request.url', 'an http:// or https:// URL', r.url)
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalidArg('options.request.url', 'an http:// or https:// URL', r.url)
  }
  if (a.eval !== undefined && typeof a.eval !== 'string') throw invalidArg('options.eval', 'a string', a.eval)
  if (a.command !== undefined && typeof a.command !== 'string') throw invalidArg('options.command', 'a string', a.command)
  if (a.wait !== undefined && !(Number.isFinite(a.wait) && a.wait >= 1000)) throw invalidArg('options.wait', 'a number of milliseconds, at least 1000', a.wait)
  if (a.pid !== undefined && !(Number.isInteger(a.pid) && a.pid > 0)) throw invalidArg('options.pid', 'a process id', a.pid)
  if (typeof a.ignoreMemoryCheck !== 'boolean') throw invalidArg('options.ignoreMemoryCheck', 'a boolean', a.ignoreMemoryCheck)
  return a.wait
}

function describeAction(a) {
  if (a.request !== undefined) {
    const r = typeof a.request === 'string' ? { url: a.request } : a.request
    return `request ${r.method || 'GET'} ${r.url}`
  }
  if (a.eval !== undefined) return `eval ${a.eval.slice(0, 80)}`
  if (a.command !== undefined) return `command ${a.command.slice(0, 80)}`
  return `wait ${a.wait} ms`
}

/** The suspect action as the hunt's `fn`: each call awaits it to its end; a failure stops the hunt. */
function actionOf(a, heap, wait) {
  if (a.request !== undefined) {
    const r = typeof a.request === 'string' ? { url: a.request } : a.request
    return () => request(r)
  }
  if (a.eval !== undefined) return () => heap.evaluate(a.eval)
  if (a.command !== undefined) return () => runCommand(a.command)
  return () => new Promise((resolve) => setTimeout(resolve, wait >= 1000 ? 1000 : wait))
}

/** One HTTP request to its end; a non-2xx answer or a connection error rejects. */
function request({ url, method = 'GET', headers = {}, body }) {
  const client = url.startsWith('https:') ? https : http
  return new Promise((resolve, reject) => {
    // One connection per request, closed after it: nothing of ours lingers in the target
    // (a kept-alive socket opened mid-hunt would look new at the final snapshot).
    const req = client.request(url, { method, headers: { connection: 'close', ...headers }, agent: false }, (res) => {
      res.on('data', () => {})
      res.on('error', reject)
      res.on('end', () => {
        if (res.statusCode >= 200 && res.statusCode < 300) resolve()
        else reject(new Error(`${method} ${url} answered ${res.statusCode} ${res.statusMessage || ''}`.trim()))
      })
    })
    req.on('error', (err) => reject(new Error(`${method} ${url} failed: ${err.message}`)))
    req.end(body)
  })
}

/** A shell command to its end; a non-zero exit rejects with the end of its stderr. */
function runCommand(command) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { shell: true, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-2000)
    })
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (code === 0) resolve()
      else reject(new Error(`\`${command}\` ${signal ? `was killed by ${signal}` : `exited with ${code}`}${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' / ')}` : ''}`))
    })
  })
}

/**
 * A remote target's heap, with the methods of LocalHeap (lib/hunt.js). One inspector
 * connection for the whole hunt: closing it makes V8 forget the object ids the diff needs.
 */
class RemoteHeap {
  constructor(remote, { ignoreMemoryCheck, local }) {
    this.remote = remote
    this.ignoreMemoryCheck = ignoreMemoryCheck
    // Whether the target runs on this machine (then this machine's free memory is its room).
    this.local = local
    this.openedByUs = false
    // 'passed' before every snapshot, 'off' when asked, 'unknown' when the room could not be read.
    this.memoryCheck = ignoreMemoryCheck ? 'off' : 'passed'
    this.lastHeapUsed = 0
    // Objects the first heap walk counted: what a snapshot's cost follows (lib/room.js).
    this.objectCount = 0
    this.globalId = 0
    this.tracking = false
    this.walked = false
    // The target's stack roots hold its own running code, not the hunt's.
    this.ownStack = false
  }

  async call(method, params = {}) {
    return JSON.parse(await callNative(() => this.remote.call(method, JSON.stringify(params))))
  }

  heapUsed() {
    return this.lastHeapUsed
  }

  async refreshHeapUsed() {
    const usage = await this.call('Runtime.getHeapUsage')
    this.lastHeapUsed = usage.usedSize
    return usage
  }

  async collectGarbage() {
    await this.call('HeapProfiler.collectGarbage')
    await this.refreshHeapUsed()
  }

  async startTrackingAllocations() {
    await this.call('HeapProfiler.enable')
    this.tracking = true
    await this.call('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true })
  }

  /** The target as an object-id watermark, from the target's next heap walk (see LocalHeap). */
  async heapWalk(name) {
    await this.checkIds(name, 'walk')
    const fresh = !this.tracking
    const walk = JSON.parse(await callNative(() => this.remote.heapWalk(fresh)))
    if (walk.objectCount > 0) this.objectCount = walk.objectCount
    this.tracking = true
    this.walked = true
    await this.refreshHeapUsed()
    return walk
  }

  /** The target's calls run there: nothing of ours keeps its event loop alive. */
  awaitCall(pending) {
    return pending
  }

  async prepare() {
    await this.globalObjectId()
    // A Node 18 or 20 target scans its scripts' sources in every snapshot without this (gc.js).
    const v8Version = await this.evaluateValue("typeof process === 'object' && process && process.versions ? process.versions.v8 : ''").catch(() => '')
    if (v8Version) await cacheLineEnds((method) => this.call(method), v8Version)
    await this.refreshHeapUsed()
  }

  /** V8's snapshot id of the target's global object, 0 when it has none yet (see LocalHeap). */
  async globalObjectId() {
    try {
      const evaluated = await this.call('Runtime.evaluate', { expression: 'globalThis', objectGroup: PROBE_GROUP })
      const objectId = evaluated.result && evaluated.result.objectId
      const found = objectId ? await this.call('HeapProfiler.getHeapObjectId', { objectId }) : null
      return (found && Number(found.heapSnapshotObjectId)) || 0
    } finally {
      await this.call('Runtime.releaseObjectGroup', { objectGroup: PROBE_GROUP })
    }
  }

  /** See LocalHeap.sizeNeedsLength: the target's Buffer pool is 8 KB (64 KB from Node 24 on). */
  sizeNeedsLength(size) {
    return sizeNeedsLength(size, [8192, 65536])
  }

  /** See LocalHeap.descriptionsOf: the target's inspector describes its objects. */
  async descriptionsOf(ids) {
    const descriptions = []
    try {
      for (const id of ids) {
        const found = id ? await this.call('HeapProfiler.getObjectByHeapObjectId', { objectId: String(id), objectGroup: PROBE_GROUP }).catch(() => null) : null
        descriptions.push((found && found.result && found.result.description) || null)
      }
    } finally {
      await this.call('Runtime.releaseObjectGroup', { objectGroup: PROBE_GROUP })
    }
    return descriptions
  }

  /** See LocalHeap.checkIds. */
  async checkIds(name, what) {
    if (this.globalId !== 0 && (await this.globalObjectId()) !== this.globalId) throw idsReset(name, what)
  }

  async snapshot(name, k, { session, mode, endWalks }) {
    if (k > 0) await this.checkIds(name, 'snapshot')
    await this.checkRoom(name)
    // While a session is connected V8 keeps what console.* logged: the target's logging
    // would look like a leak that only our connection makes.
    await this.call('Runtime.discardConsoleEntries')
    callNative(() => session.beginSnapshot(name, mode))
    // After a target walk, V8 tracks heap objects until a snapshot ends it: this one (see LocalHeap).
    const stop = endWalks && this.walked
    if (stop) {
      this.walked = false
      this.tracking = false
    }
    const bytes = Number(await callNative(() => (stop ? this.remote.stopTrackingInto(session) : this.remote.snapshotInto(session))))
    if (k === 0) this.globalId = await this.globalObjectId()
    await this.refreshHeapUsed()
    return bytes
  }

  /**
   * Do no harm: a snapshot costs the target about 1.5 KB per heap object while V8 builds its
   * graph (lib/room.js), and a target whose memory cannot hold that is killed (a container at
   * its limit). The objects are counted by the baseline's heap walk; the room is what the
   * target's Node says it can still get (process.availableMemory(), its cgroup limit minus what
   * it uses), else this machine's free memory when the target runs here.
   */
  async checkRoom(name) {
    if (this.ignoreMemoryCheck) return
    const { usedSize } = await this.refreshHeapUsed()
    const room = await this.room()
    if (room === null) this.memoryCheck = 'unknown'
    const major = Number(((await this.evaluateValue("typeof process === 'object' && process ? process.versions.node : ''")) || '0').split('.')[0])
    const instead = 'See what grows without a snapshot: --profile <ms> (attach(target, { profile: ms })) samples allocations instead; or pass --ignore-memory-check (ignoreMemoryCheck) to take it anyway.'
    if (this.objectCount === 0 && !this.tracking) {
      checkCountRoom({ name, room, heapUsed: usedSize, instead })
      await this.countObjects()
    }
    const cost = snapshotCost({ objects: this.objectCount, heapUsed: usedSize, major })
    this.snapshotEstimate = { bytes: cost.bytes, objects: cost.objects, counted: cost.counted, roomBytes: room ? room.bytes : null }
    checkSnapshotRoom({ name, cost, room, heapUsed: usedSize, instead })
  }

  /**
   * The target's heap objects, counted by a heap walk (V8's object tracker: an id per object,
   * no graph), which is then stopped without the snapshot stopTrackingHeapObjects would take.
   * Only before the hunt's ids matter: disabling the profiler forgets them.
   */
  async countObjects() {
    try {
      const walk = JSON.parse(await callNative(() => this.remote.heapWalk(true)))
      if (walk.objectCount > 0) this.objectCount = walk.objectCount
    } finally {
      await this.call('HeapProfiler.disable')
      this.tracking = false
    }
  }

  async room() {
    const answer = await this.evaluateValue(
      "typeof process === 'object' && process ? { available: typeof process.availableMemory === 'function' ? process.availableMemory() : null, limit: typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : null, rss: process.memoryUsage.rss() } : null",
    )
    if (answer && answer.available > 0) return { bytes: answer.available, what: 'the memory it can still get' }
    // A cgroup limit (0 or a huge number when there is none) less what the process uses.
    if (answer && answer.limit > 0 && answer.limit < os.totalmem()) return { bytes: answer.limit - answer.rss, what: 'what is left under its memory limit' }
    if (this.local) return { bytes: os.freemem(), what: "this machine's free memory" }
    return null
  }

  /** A value computed in the target (a plain object), nothing kept there. */
  async evaluateValue(expression) {
    const answer = await this.call('Runtime.evaluate', { expression, returnByValue: true, silent: true })
    return answer.exceptionDetails ? null : answer.result.value
  }

  /** The action of --eval: awaited in the target; a throw stops the hunt. */
  async evaluate(expression) {
    try {
      const answer = await this.call('Runtime.evaluate', { expression, awaitPromise: true, objectGroup: ACTION_GROUP, silent: true })
      if (answer.exceptionDetails) {
        const d = answer.exceptionDetails
        throw new Error(`the expression threw in the target: ${((d.exception && d.exception.description) || d.text || 'an exception').split('\n')[0].slice(0, 300)}`)
      }
    } finally {
      await this.call('Runtime.releaseObjectGroup', { objectGroup: ACTION_GROUP })
    }
  }

  /** With --pid: the process answering on the default port must be the one signalled. */
  async checkPid(pid) {
    const answered = await this.evaluateValue("typeof process === 'object' && process ? process.pid : 0")
    this.openedByUs = answered === pid
    if (answered !== pid) {
      throw codedError(
        'ERR_LEAKHUNT_INSPECTOR_PORT_TAKEN',
        `127.0.0.1:${DEFAULT_INSPECTOR_PORT} is the inspector of process ${answered || 'unknown'}, not of ${pid}: the port was taken, so ${pid} could not open its inspector there. Start it with --inspect=<port> and attach to that port.`,
      )
    }
  }

  async kind() {
    const isNode = await this.evaluateValue("typeof process === 'object' && !!process && !!process.versions && !!process.versions.node").catch(() => null)
    return isNode ? 'node' : 'page'
  }

  sourceMapSources() {
    // The maps beside the target's scripts, when they are paths on this machine.
    return {}
  }

  /** Leaves nothing behind: no tracking, no console storage, no session, no inspector we opened. */
  async close() {
    const quietly = (method, params) => this.call(method, params).catch(() => {})
    await quietly('Runtime.discardConsoleEntries')
    // Stops allocation tracking and frees V8's id map without the snapshot that
    // stopTrackingHeapObjects would send.
    await quietly('HeapProfiler.disable')
    if (this.openedByUs) {
      // The inspector SIGUSR1 opened stays open otherwise (as `node inspect -p` leaves it).
      await quietly('Runtime.evaluate', { expression: "require('node:inspector').close()", includeCommandLineAPI: true, silent: true })
    }
    await callNative(() => this.remote.close()).catch(() => {})
  }
}

/**
 * Sends SIGUSR1 to a Node process, which opens its inspector on 127.0.0.1:9229 (as
 * `node inspect -p` does), and waits for it to listen. Refused for a process that does not
 * handle SIGUSR1 (its default action ends the process).
 */
async function openInspector(pid) {
  let status = null
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  } catch (err) {
    if (err.code === 'ENOENT') throw codedError('ERR_LEAKHUNT_NO_PROCESS', `no process ${pid}`)
    // No /proc (not Linux): the signal below says whether the process exists.
  }
  if (status !== null) {
    const name = (/^Name:\s*(.*)$/m.exec(status) || [])[1] || 'it'
    // Other programs give SIGUSR1 other meanings (or die of it): only a Node binary is signalled.
    if (!isNodeBinary(pid)) {
      throw codedError('ERR_LEAKHUNT_NOT_NODE', `process ${pid} (${name}) is not a Node process: SIGUSR1 means something else to it, or ends it. Start the service with --inspect and attach to that port.`)
    }
    const caught = /^SigCgt:\s*([0-9a-f]+)$/m.exec(status)
    const SIGUSR1 = os.constants.signals.SIGUSR1
    if (caught && (BigInt(`0x${caught[1]}`) & (1n << BigInt(SIGUSR1 - 1))) === 0n) {
      throw codedError(
        'ERR_LEAKHUNT_NOT_NODE',
        `process ${pid} (${name}) does not handle SIGUSR1, as a Node process with its inspector available does (it may run with --disable-sigusr1): the signal would end it. Start it with --inspect instead.`,
      )
    }
  }
  try {
    process.kill(pid, 'SIGUSR1')
  } catch (err) {
    if (err.code === 'ESRCH') throw codedError('ERR_LEAKHUNT_NO_PROCESS', `no process ${pid}`)
    if (err.code === 'EPERM') throw codedError('ERR_LEAKHUNT_PERMISSION', `not allowed to signal process ${pid} (it runs as another user): run leakhunt as that user`)
    throw err
  }
  const deadline = Date.now() + 5000
  for (;;) {
    try {
      await getJson(`http://127.0.0.1:${DEFAULT_INSPECTOR_PORT}/json/list`)
      return { pid }
    } catch {
      if (Date.now() > deadline) {
        throw codedError('ERR_LEAKHUNT_INSPECTOR', `process ${pid} opened no inspector on 127.0.0.1:${DEFAULT_INSPECTOR_PORT} within 5 s of SIGUSR1 (is the port taken, or the inspector left out of its Node build?)`)
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

/** Whether the process runs a Node binary (`node`, `nodejs`, `node20`…), by its executable or argv[0]. */
function isNodeBinary(pid) {
  const names = []
  try {
    names.push(fs.readlinkSync(`/proc/${pid}/exe`))
  } catch {
    // another user's process: its argv[0] is still readable
  }
  try {
    names.push(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0])
  } catch {
    return names.length > 0 && /^node/.test(names[0].split('/').pop())
  }
  return names.some((n) => /^node/.test(n.split('/').pop()))
}

/** The WebSocket URL of the target: given as ws://, or picked from the endpoint's /json/list. */
async function webSocketUrl(target, pick) {
  if (target.startsWith('ws://')) return target
  if (target.startsWith('wss://')) throw invalidArg('target', 'a ws:// URL (wss:// is not supported)', target)
  const base = /^https?:\/\//.test(target) ? target.replace(/\/+$/, '') : `http://${target}`
  let list
  try {
    list = await getJson(`${base}/json/list`)
  } catch (err) {
    throw codedError('ERR_LEAKHUNT_INSPECTOR', `no inspector answers at ${base}: ${err.message} (start the target with --inspect=<port>, or Chrome with --remote-debugging-port=<port>)`)
  }
  const usable = (Array.isArray(list) ? list : []).filter((t) => t && typeof t.webSocketDebuggerUrl === 'string')
  const chosen = pick ? usable.filter((t) => `${t.url || ''}`.includes(pick) || `${t.title || ''}`.includes(pick)) : usable.filter((t) => t.type === 'node' || t.type === 'page')
  if (chosen.length === 1) return chosen[0].webSocketDebuggerUrl
  const listed = usable.map((t) => `  ${t.type} ${t.url || t.title}`).join('\n')
  if (chosen.length === 0) throw codedError('ERR_LEAKHUNT_NO_TARGET', `${base} lists no ${pick ? `target whose URL or title contains ${JSON.stringify(pick)}` : 'Node process or page'}${listed ? `; it lists:\n${listed}` : ''}`)
  throw codedError('ERR_LEAKHUNT_NO_TARGET', `${base} lists ${chosen.length} targets; pick one with --target <part of its URL>:\n${listed}`)
}

function isLoopback(url) {
  const host = new URL(url).hostname
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.')
}

function getJson(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: 3000 }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d) => {
        text += d
      })
      res.on('end', () => {
        try {
          resolve(JSON.parse(text))
        } catch (err) {
          reject(err)
        }
      })
    })
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.on('error', reject)
  })
}

module.exports = { attach, isLoopback }
