'use strict'
// `leakhunt mcp`: leakhunt as a Model Context Protocol server over stdio, for coding agents.
// A tool answers with the leak (the holder as the program names it, its rate, the cause, the
// fix, where the class is defined, a short path), cut to a size a model's context holds, and
// never with raw heap primitives. The SDK (@modelcontextprotocol/sdk, an optional dependency)
// is loaded by this command alone. Long work reports MCP progress and honours cancellation:
// a cancelled hunt's process is killed, a cancelled attach detaches as Ctrl-C does.
const fs = require('node:fs')
const path = require('node:path')
const { codedError } = require('./errors.js')
const { sourcePosition, via, bytes, gains } = require('./phrases.js')

/** The structured answer's size by default, and with `detail: 'full'` (JSON characters). */
const BRIEF_BYTES = 8 * 1024
const FULL_BYTES = 64 * 1024
/** Steps of a retainer path kept in an answer: the holder and those just above it. */
const PATH_STEPS = 6

const detail = {
  type: 'string',
  enum: ['brief', 'full'],
  description: `'brief' (default) keeps the answer within ${BRIEF_BYTES / 1024} KB of JSON; 'full' within ${FULL_BYTES / 1024} KB`,
}
const iterations = { type: 'integer', minimum: 1, maximum: 10000, description: 'calls per round (default 20; a second round makes twice as many)' }

const TOOLS = [
  {
    name: 'hunt_module',
    description:
      'Hunts a scenario module for memory leaks in a fresh Node process: it exports action() (one call of the suspect code; may be async) and may export setup() and teardown(), as `leakhunt run` takes it. Answers with each leak: what grows, where it is held (as the code names it), why, and the fix.',
    inputSchema: {
      type: 'object',
      properties: { module: { type: 'string', description: 'path of the scenario module (.js, .cjs or .mjs)' }, iterations, detail },
      required: ['module'],
      additionalProperties: false,
    },
  },
  {
    name: 'analyze_snapshots',
    description:
      'The three-snapshot analysis of .heapsnapshot files of one process: objects new in the target and alive in the final, grouped by what holds them. A fourth file (confirm), taken after twice as many calls again, tells growth from one-time allocation.',
    inputSchema: {
      type: 'object',
      properties: {
        baseline: { type: 'string', description: 'snapshot before the suspect action' },
        target: { type: 'string', description: 'snapshot after repeating it N times' },
        final: { type: 'string', description: 'snapshot after a pause' },
        confirm: { type: 'string', description: 'optional: snapshot after 2 × N more calls' },
        iterations: { type: 'integer', minimum: 1, description: 'N, the calls between baseline and target' },
        detail,
      },
      required: ['baseline', 'target', 'final'],
      additionalProperties: false,
    },
  },
  {
    name: 'attach',
    description:
      'Hunts a running Node process on this machine through its inspector (by pid, which opens the inspector with SIGUSR1, or by host:port or ws:// URL of a loopback inspector), calling an action per iteration: an HTTP request, an expression evaluated in the target, a shell command, or a wait of the target\'s own traffic. With `profile` (milliseconds) it takes no snapshot: sampled heap profiles say which allocation sites grow.',
    inputSchema: {
      type: 'object',
      properties: {
        pid: { type: 'integer', minimum: 1, description: 'a Node process of this user' },
        target: { type: 'string', description: 'host:port or ws:// URL of the inspector (loopback only)' },
        request: { type: 'string', description: 'URL requested (GET) per call' },
        eval: { type: 'string', description: 'expression evaluated in the target per call' },
        command: { type: 'string', description: 'shell command run per call' },
        wait: { type: 'integer', minimum: 1000, description: "milliseconds of the target's own traffic per call" },
        iterations,
        profile: { type: 'integer', minimum: 2000, description: 'sample heap profiles for this many milliseconds instead of snapshots' },
        detail,
      },
      additionalProperties: false,
    },
  },
  {
    name: 'inspect_snapshot',
    description: "One .heapsnapshot file: its size and its top constructors by count, self size and retained size.",
    inputSchema: {
      type: 'object',
      properties: { file: { type: 'string' }, top: { type: 'integer', minimum: 1, maximum: 100, description: 'constructors per table (default 10)' } },
      required: ['file'],
      additionalProperties: false,
    },
  },
]

/** An argument error: told to the agent as the tool's error, and the server keeps serving. */
function badArgument(message) {
  return codedError('ERR_LEAKHUNT_MCP_ARGUMENT', message)
}

/** The arguments checked against the tool's schema, by hand: names, types, bounds, required. */
function checkArguments(tool, args) {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) throw badArgument(`${tool.name} takes an object of arguments`)
  const { properties, required = [] } = tool.inputSchema
  for (const key of Object.keys(args)) {
    if (!properties[key]) throw badArgument(`${tool.name} has no argument '${key}' (it takes ${Object.keys(properties).join(', ')})`)
  }
  for (const key of required) if (args[key] === undefined) throw badArgument(`${tool.name} needs '${key}'`)
  for (const [key, value] of Object.entries(args)) {
    const schema = properties[key]
    if (schema.type === 'string' && typeof value !== 'string') throw badArgument(`'${key}' must be a string`)
    if (schema.type === 'integer' && !Number.isInteger(value)) throw badArgument(`'${key}' must be an integer`)
    if (schema.minimum !== undefined && value < schema.minimum) throw badArgument(`'${key}' must be ${schema.minimum} or more`)
    if (schema.maximum !== undefined && value > schema.maximum) throw badArgument(`'${key}' must be ${schema.maximum} or less`)
    if (schema.enum && !schema.enum.includes(value)) throw badArgument(`'${key}' must be one of ${schema.enum.join(', ')}`)
  }
}

/** A file the call names, which must exist: nothing else is read. */
function namedFile(file, what) {
  const resolved = path.resolve(file)
  let stat
  try {
    stat = fs.statSync(resolved)
  } catch {
    throw badArgument(`${what} ${JSON.stringify(file)} does not exist`)
  }
  if (!stat.isFile()) throw badArgument(`${what} ${JSON.stringify(file)} is not a file`)
  return resolved
}

/** A pid must be a process of the user this server runs as (read from /proc where there is one). */
function checkOwnProcess(pid) {
  let owner
  try {
    owner = fs.statSync(`/proc/${pid}`).uid
  } catch (err) {
    if (err.code === 'ENOENT' && fs.existsSync('/proc/self')) throw badArgument(`no process ${pid} on this machine`)
    return // no /proc (macOS, Windows): the signal itself is refused for another user's process
  }
  if (typeof process.getuid === 'function' && owner !== process.getuid()) {
    throw badArgument(`process ${pid} belongs to another user: attach reaches this user's processes only`)
  }
}

/** A growth point as an agent needs it: names, rate, cause, fix, place and a short path. */
function briefPoint(point) {
  const steps = (point.retainerPath || []).filter((s) => !s.elided)
  const path = steps.slice(-PATH_STEPS).map((s, i) => (i === 0 ? s.name : `${via(s)} -> ${s.name}`))
  const grown = point.bytesGrowth
  return {
    holder: point.holder.label || point.holder.name,
    grows: gains(point),
    class: point.name,
    perCall: point.countPerIteration,
    ...(grown ? { bytesPerCall: Math.round(grown.perCall) } : {}),
    retainedBytes: point.retainedSize,
    verdict: point.verdict ? point.verdict.reason : null,
    cause: point.cause.pattern,
    why: `${point.cause.title}: ${point.cause.detail}`,
    fix: point.cause.hint,
    definedAt: point.location ? sourcePosition(point.location) : null,
    path: steps.length > PATH_STEPS ? ['…', ...path] : path,
  }
}

/** The report cut to `limit` characters of JSON: the leaks first, the largest first. */
function briefReport(report, limit) {
  const leaks = report.leaks.map(briefPoint)
  const listeners = (report.listenerGrowth || []).map((g) => ({ emitter: g.emitter, event: g.event, before: g.before, after: g.after, perCall: g.perCall }))
  const s = report.summary || {}
  const answer = {
    leakCount: leaks.length,
    leaks,
    listenerGrowth: listeners,
    notLeaks: (report.retained || []).length,
    summary: { iterations: s.iterations ?? null, confirmed: s.confirmed ?? null, analysisMs: s.analysisMs ?? null },
  }
  while (JSON.stringify(answer).length > limit && (answer.leaks.length > 1 || answer.listenerGrowth.length > 0)) {
    if (answer.listenerGrowth.length > 0) answer.listenerGrowth.pop()
    else answer.leaks.pop()
    answer.cutShort = `${leaks.length - answer.leaks.length} more leaks and ${listeners.length - answer.listenerGrowth.length} more listener lists left out (detail: 'full' for more)`
  }
  if (JSON.stringify(answer).length > limit) answer.leaks = answer.leaks.map((p) => ({ ...p, path: p.path.slice(-2), why: p.why.slice(0, 400) }))
  return answer
}

/** The text an agent reads first: a line per leak, with its fix. */
function briefText(answer, heading) {
  if (answer.leakCount === 0 && answer.listenerGrowth.length === 0) return `${heading}: no leaks found.`
  const lines = [`${heading}: ${answer.leakCount} leak${answer.leakCount === 1 ? '' : 's'} found.`]
  for (const p of answer.leaks) {
    lines.push('', `✖ ${p.holder} ${p.grows}${p.definedAt ? ` (${p.class} defined at ${p.definedAt})` : ''}, ${bytes(p.retainedBytes)} retained`)
    lines.push(`  why: ${p.why}`)
    if (p.fix) lines.push(`  fix: ${p.fix}`)
    lines.push(`  held by: ${p.path.join(' ')}`)
  }
  for (const g of answer.listenerGrowth) lines.push('', `listeners: ${g.emitter} '${g.event}' ${g.before} → ${g.after}, ${g.perCall} per call`)
  if (answer.cutShort) lines.push('', answer.cutShort)
  return lines.join('\n')
}

/** A profile (attach with `profile`): the growing sites, cut to the bound. */
function briefProfile(report, limit) {
  const sites = (report.sites || []).map((site) => ({ ...site, stack: (site.stack || []).slice(0, 3) }))
  const answer = { kind: 'profile', growing: sites.length, sites, durationMs: report.summary && report.summary.durationMs }
  while (JSON.stringify(answer).length > limit && answer.sites.length > 1) answer.sites.pop()
  return answer
}

function answerOf(structured, text) {
  return { content: [{ type: 'text', text }], structuredContent: structured }
}

/**
 * Calls a tool; resolves to its MCP result. `progress(done, total, message)` reports, and
 * `signal` cancels.
 */
async function callTool(name, args, { progress, signal }) {
  const tool = TOOLS.find((t) => t.name === name)
  if (!tool) throw badArgument(`no tool '${name}' (tools: ${TOOLS.map((t) => t.name).join(', ')})`)
  args = args || {}
  checkArguments(tool, args)
  const limit = args.detail === 'full' ? FULL_BYTES : BRIEF_BYTES
  const leakhunt = require('..')
  const { isLoopback } = require('./attach.js')
  const onHunt = (p) => progress(p.of ? `${p.phase} ${p.iteration}/${p.of}` : p.phase)
  if (name === 'hunt_module') {
    const file = namedFile(args.module, 'module')
    const { runScenario } = require('./run-scenario.js')
    // The scenario's own output would corrupt the protocol on stdout: it is dropped.
    const report = await runScenario(file, { iterations: args.iterations, redact: true }, { onProgress: onHunt, signal })
    const answer = briefReport(report, limit)
    return answerOf(answer, briefText(answer, `leakhunt hunted ${path.basename(file)} over ${report.summary.iterations} calls`))
  }
  if (name === 'analyze_snapshots') {
    const files = ['baseline', 'target', 'final', 'confirm'].filter((k) => args[k] !== undefined).map((k) => namedFile(args[k], k))
    const report = await leakhunt.analyzeSnapshots(files[0], files[1], files[2], {
      confirm: files[3],
      iterations: args.iterations,
      redact: true,
      onProgress: (p) => progress(`${p.phase} ${Math.round((100 * p.bytesDone) / Math.max(1, p.bytesTotal))} %`),
    })
    if (signal.aborted) throw codedError('ABORT_ERR', 'cancelled')
    const answer = briefReport(report, limit)
    return answerOf(answer, briefText(answer, `leakhunt analysed ${files.map((f) => path.basename(f)).join(', ')}`))
  }
  if (name === 'attach') {
    const actions = ['request', 'eval', 'command', 'wait'].filter((k) => args[k] !== undefined)
    if (args.profile === undefined ? actions.length !== 1 : actions.length > 1) {
      throw badArgument("attach needs one action: 'request', 'eval', 'command' or 'wait' (with 'profile', at most one)")
    }
    if ((args.pid === undefined) === (args.target === undefined)) throw badArgument("attach needs 'pid' or 'target' (one of them)")
    // Local targets only: an inspector on this machine's loopback, or a pid of this user's
    // (SIGUSR1 opens its inspector on 127.0.0.1), never another machine's or user's.
    if (args.target !== undefined && !isLoopback(/^[a-z]+:\/\//.test(args.target) ? args.target : `http://${args.target}`)) {
      throw badArgument(`attach reaches inspectors on this machine only (127.0.0.1, localhost, [::1]), not ${JSON.stringify(args.target)}`)
    }
    if (args.pid !== undefined) checkOwnProcess(args.pid)
    const { detail: _detail, request, target, ...rest } = args
    const options = { ...rest, ...(request ? { request: { url: request, method: 'GET', headers: {} } } : {}), signal, onProgress: onHunt }
    if (args.profile === undefined) options.redact = true
    const report = await leakhunt.attach(target, options)
    if (report.kind === 'profile') {
      const answer = briefProfile(report, limit)
      return answerOf(answer, leakhunt.formatProfileReport(report).slice(0, limit))
    }
    const answer = briefReport(report, limit)
    return answerOf(answer, briefText(answer, `leakhunt attached to ${report.summary.attached ? report.summary.attached.target || 'the target' : 'the target'}`))
  }
  // inspect_snapshot
  const snapshot = await leakhunt.readSnapshot(namedFile(args.file, 'file'))
  const summary = await snapshot.summary(args.top || 10)
  const row = (c) => ({ name: c.name, count: c.count, selfSize: c.selfSize, retainedSize: c.retainedSize })
  const answer = {
    nodeCount: summary.nodeCount,
    edgeCount: summary.edgeCount,
    totalSize: summary.totalSize,
    topByCount: summary.topByCount.map(row),
    topBySelfSize: summary.topBySelfSize.map(row),
    topByRetainedSize: summary.topByRetainedSize.map(row),
  }
  const table = (title, rows, column) => [title, ...rows.map((c) => `  ${c.name}: ${column === 'count' ? c.count.toLocaleString('en-US') : bytes(c[column])}`)].join('\n')
  const text = [
    `${path.basename(args.file)}: ${summary.nodeCount.toLocaleString('en-US')} objects, ${bytes(summary.totalSize)}`,
    table('top by retained size:', answer.topByRetainedSize, 'retainedSize'),
    table('top by count:', answer.topByCount, 'count'),
  ].join('\n')
  return answerOf(answer, text)
}

/** The SDK, which `leakhunt mcp` alone needs. */
function loadSdk() {
  try {
    return {
      Server: require('@modelcontextprotocol/sdk/server/index.js').Server,
      StdioServerTransport: require('@modelcontextprotocol/sdk/server/stdio.js').StdioServerTransport,
      types: require('@modelcontextprotocol/sdk/types.js'),
    }
  } catch (err) {
    throw codedError(
      'ERR_LEAKHUNT_MCP_SDK',
      `leakhunt mcp needs the Model Context Protocol SDK, an optional dependency that is not installed: npm install @modelcontextprotocol/sdk (${err.message.split('\n')[0]})`,
    )
  }
}

/** Serves until the client closes stdin. */
async function serve() {
  const { Server, StdioServerTransport, types } = loadSdk()
  const { version } = require('../package.json')
  const server = new Server({ name: 'leakhunt', version }, { capabilities: { tools: {} } })
  server.setRequestHandler(types.ListToolsRequestSchema, async () => ({ tools: TOOLS }))
  server.setRequestHandler(types.CallToolRequestSchema, async (request, extra) => {
    const token = request.params._meta && request.params._meta.progressToken
    let step = 0
    const progress = (message) => {
      if (token === undefined) return
      step++
      extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: step, message } }).catch(() => {})
    }
    try {
      return await callTool(request.params.name, request.params.arguments, { progress, signal: extra.signal })
    } catch (err) {
      // A tool's failure is its answer, with what went wrong: the server goes on serving.
      const code = err && err.code ? ` [${err.code}]` : ''
      return { content: [{ type: 'text', text: `leakhunt: ${String((err && err.message) || err).split('\n')[0]}${code}` }], isError: true }
    }
  })
  const transport = new StdioServerTransport()
  const closed = new Promise((resolve) => {
    server.onclose = resolve
  })
  await server.connect(transport)
  process.stdin.on('end', () => server.close())
  await closed
}

module.exports = { serve, callTool, TOOLS, BRIEF_BYTES, FULL_BYTES }
