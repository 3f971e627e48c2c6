#!/usr/bin/env node
'use strict'
// The command line: `leakhunt analyze | inspect | run | attach`. Exit 0: no leak; 1: leaks found;
// 2: an error (bad file, wrong arguments), said in one line on stderr.
const fs = require('node:fs')
const path = require('node:path')
const { parseArgs } = require('node:util')
const { ProgressBar } = require('../lib/progress-bar.js')
const { checkNodeVersion } = require('../lib/platform.js')

const EXIT_CLEAN = 0
const EXIT_LEAKS = 1
const EXIT_ERROR = 2

const HELP = {
  main: `Usage: leakhunt <command> [options]

Commands:
  analyze <baseline> <target> <final> [<confirm>]
                                        the three-snapshot analysis of .heapsnapshot files
  inspect <file>                        one snapshot: counts and the top constructors
  run <scenario.js>                     hunt a scenario module's action() in a fresh process
  attach <target> | --pid <pid>         hunt a running Node service or browser page through its inspector
  mcp                                   serve leakhunt to coding agents (Model Context Protocol, stdio)
  jest [options] -- [jest options]      run the project's Jest and say which finished test files stay alive
  vitest [options] -- [vitest options]  the same for Vitest's vm pools (vmThreads, vmForks)

Run \`leakhunt <command> --help\` for a command's options.
Exit status: 0 no leak, 1 leaks found, 2 error.`,
  analyze: `Usage: leakhunt analyze <baseline> <target> <final> [<confirm>] [options]

Objects absent from <baseline>, present in <target> and still alive in <final>, grouped by
the growth point they hang from (the older object that holds them), with the path to it.
Take the snapshots of one process (node ids are only comparable within one process, and
snapshots of two processes are refused): before the suspect action, after repeating it N
times, and after a pause. A fourth snapshot, <confirm>, taken after repeating the action
2 × N times more, is a second round: each growth point is then judged by whether it kept
growing with the calls, as hunt() judges it.

Options:
  --json                  print the report as JSON (LeakReport, schemaVersion 2)
  --html FILE             also write a self-contained HTML report to FILE
  --iterations N          how many times the action ran between baseline and target
  --ignore PATTERN        leave out groups whose name contains PATTERN (repeatable)
  --include-internals     also report V8's own objects (code, maps, system / …)
  --redact                show no string contents from the heap (reports cut them at 40 characters anyway)
  --no-source-maps        show positions in the scripts the snapshots name, not through
                          the .map files beside them (or inline maps) into your source
  --quiet                 no progress bar
  --no-color              no colours (also: NO_COLOR=1)
  -h, --help              this help`,
  jest: `Usage: leakhunt jest [options] -- [jest options]

Runs the project's own Jest (its config, its transforms) in band, each test file in its
configured environment, watched. After the run, which finished test files stay alive after
their teardown and full GCs, grouped by what keeps them: the object outside the test file
(a core module's function or class a package replaced, a timer, a hook), the code that put
the reference there, and the fix. One heap snapshot, only when a file stays alive.

Options:
  --json FILE             also write the report as JSON to FILE
  --html FILE             also write the report as a self-contained HTML page to FILE
  --quiet                 no progress lines
  -h, --help              this help

Exit status: 1 when a finished test file stays alive or a test failed, 0 when none does,
2 when Jest cannot run (none in the project, bad options).`,
  vitest: `Usage: leakhunt vitest [options] -- [vitest options]

Runs the project's own Vitest once. In the vm pools (pool: 'vmThreads' or 'vmForks') test
files share a worker, each in a vm context of its own: the run goes through one worker, and
the files before the last one are checked there, grouped by what keeps them, as leakhunt jest
does. In the other pools nothing can pile up across files (each file gets a fresh worker),
or all files share one realm (isolate: false); that is said in one line, and the exit status
is the suite's.

Options:
  --json FILE             also write the report as JSON to FILE
  --html FILE             also write the report as a self-contained HTML page to FILE
  --quiet                 no progress lines
  -h, --help              this help

Exit status: 1 when a finished test file stays alive or a test failed, 0 when none does,
2 when Vitest cannot run (none in the project, bad options).`,
  mcp: `Usage: leakhunt mcp

A Model Context Protocol server on stdin and stdout, for coding agents. Its tools answer with
the leak (what grows, where it is held, why, the fix), cut to 8 KB of JSON unless a call asks
for detail 'full': hunt_module (a scenario module, as leakhunt run takes it), analyze_snapshots,
attach (a Node process on this machine, by pid or loopback inspector; with profile, no
snapshot), inspect_snapshot. Progress is reported, and a cancelled call stops its hunt.
Configure a client with: { "command": "npx", "args": ["leakhunt", "mcp"] }.`,
  inspect: `Usage: leakhunt inspect <file> [options]

Node and edge counts of one snapshot, and its top constructors by count, self size and
retained size.

Options:
  --json                  print the summary as JSON
  --top N                 how many constructors per table (default 10)
  --quiet                 no progress bar
  --no-color              no colours (also: NO_COLOR=1)
  -h, --help              this help`,
  run: `Usage: leakhunt run <scenario.js> [options]

Hunts a scenario in a fresh Node process. The module (CommonJS or ESM) exports:
  setup()      optional, once, before anything is measured; its result is passed to action
  action(ctx)  the suspect code, called for the warm-up and each iteration (async allowed)
  teardown()   optional, after the hunt

Options:
  --iterations N          calls between baseline and target (default 20)
  --warmup N              calls before the baseline (default 3)
  --settle-ms N           wait before the final snapshot (default 100)
  --track-allocations     record where each leaked object was allocated (slower calls)
  --json                  print the report as JSON (HuntReport, schemaVersion 2)
  --html FILE             also write a self-contained HTML report to FILE
  --ignore PATTERN        leave out groups whose name contains PATTERN (repeatable)
  --include-internals     also report V8's own objects
  --redact                show no string contents from the heap
  --no-source-maps        show positions in the code V8 ran, not through source maps in your source
  --quiet                 no progress bar
  --no-color              no colours (also: NO_COLOR=1)
  -h, --help              this help`,
  attach: `Usage: leakhunt attach <target> <action> [options]
       leakhunt attach --pid <pid> <action> [options]

Hunts a leak in a process that is already running, through its inspector, with no change to it:
warm-up, baseline snapshot, the action N times, target snapshot, settle, final snapshot, and a
second round, as hunt() does in-process. The snapshots stream from the target into leakhunt.

<target>:
  127.0.0.1:9229          a Node process started with --inspect[=port]
  ws://127.0.0.1:9229/…   its WebSocket URL
  http://127.0.0.1:9222   a DevTools endpoint (Chrome, Electron: --remote-debugging-port)
  --target TEXT           with several targets there, the one whose URL or title contains TEXT
  --pid PID               a Node process started without --inspect: SIGUSR1 opens its inspector
                          on 127.0.0.1:9229 (as node inspect -p does); closed again afterwards

<action>, run once per call:
  --request [METHOD] URL  an HTTP request to the service, awaited to the end of its response;
                          --header 'Name: value' (repeatable), --data TEXT for a body.
                          A non-2xx answer or a connection error stops the hunt
  --eval EXPRESSION       evaluated in the target, a returned promise awaited
                          (document.querySelector('#open').click(), app.handle(job))
  --command CMD           a shell command (a load tool, a client script)
  --wait MS               no action: the target's own traffic for MS milliseconds, one call
                          per second (counts per call are per second)

Options:
  --iterations N          calls between baseline and target (default 20)
  --warmup N              calls before the baseline (default 3)
  --settle-ms N           wait before the final snapshot (default 100)
  --track-allocations     record where each leaked object was allocated (slower calls)
  --profile MS            no snapshot: run the target's sampling heap profiler for MS
                          milliseconds while the action repeats (or its own traffic runs with
                          --wait) and report the allocation sites whose live memory grows
                          (for heaps too big to snapshot; exit 1 when a site grows)
  --sampling-interval B   with --profile: one sample per B bytes allocated (default 131072)
  --speedscope FILE       with --profile: also write the live memory each stack gained as a
                          speedscope profile (open it at https://www.speedscope.app)
  --ignore-memory-check   take snapshots even when the target's memory looks too small for one
                          (a snapshot costs the target about its heap size again)
  --json                  print the report as JSON (HuntReport, schemaVersion 2)
  --html FILE             also write a self-contained HTML report to FILE
  --ignore PATTERN        leave out groups whose name contains PATTERN (repeatable)
  --include-internals     also report V8's own objects
  --redact                show no string contents from the heap
  --no-source-maps        show positions in the code the target ran, not through source maps
  --quiet                 no progress bar
  --no-color              no colours (also: NO_COLOR=1)
  -h, --help              this help

Ctrl-C stops the hunt after the step it is in and detaches; the target keeps running.`,
}

const COMMON = {
  help: { type: 'boolean', short: 'h' },
  quiet: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  json: { type: 'boolean' },
}
const OPTIONS = {
  analyze: {
    ...COMMON,
    html: { type: 'string' },
    iterations: { type: 'string' },
    ignore: { type: 'string', multiple: true },
    'include-internals': { type: 'boolean' },
    redact: { type: 'boolean' },
    'no-source-maps': { type: 'boolean' },
  },
  inspect: { ...COMMON, top: { type: 'string' } },
  run: {
    ...COMMON,
    html: { type: 'string' },
    iterations: { type: 'string' },
    warmup: { type: 'string' },
    'settle-ms': { type: 'string' },
    'track-allocations': { type: 'boolean' },
    ignore: { type: 'string', multiple: true },
    'include-internals': { type: 'boolean' },
    redact: { type: 'boolean' },
    'no-source-maps': { type: 'boolean' },
  },
}
OPTIONS.attach = {
  ...OPTIONS.run,
  target: { type: 'string' },
  pid: { type: 'string' },
  request: { type: 'string' },
  header: { type: 'string', multiple: true },
  data: { type: 'string' },
  eval: { type: 'string' },
  command: { type: 'string' },
  wait: { type: 'string' },
  profile: { type: 'string' },
  'sampling-interval': { type: 'string' },
  speedscope: { type: 'string' },
  'ignore-memory-check': { type: 'boolean' },
}
const POSITIONALS = { analyze: ['baseline', 'target', 'final'], inspect: ['file'], run: ['scenario.js'], attach: ['target'] }

class UsageError extends Error {}

/**
 * `--iterations -5` as `--iterations=-5`: parseArgs takes a value that starts with '-' for an
 * option ("argument is ambiguous"), where the user meant a (bad) number, which `integer` then
 * refuses with the range it wants.
 */
function joinNegativeNumbers(args, options) {
  const out = []
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith('--') ? args[i].slice(2) : null
    if (name && options[name] && options[name].type === 'string' && /^-\d/.test(args[i + 1] || '')) {
      out.push(`${args[i]}=${args[i + 1]}`)
      i++
    } else out.push(args[i])
  }
  return out
}

/** Refuses an --html destination that could not be written, before any work is done. */
function checkDestination(file) {
  if (file === undefined) return
  const target = path.resolve(file)
  const dir = path.dirname(target)
  let stat
  try {
    stat = fs.statSync(dir)
  } catch {
    throw new UsageError(`cannot write the HTML report to ${file}: the directory ${dir} does not exist`)
  }
  if (!stat.isDirectory()) throw new UsageError(`cannot write the HTML report to ${file}: ${dir} is not a directory`)
  try {
    fs.accessSync(dir, fs.constants.W_OK)
  } catch {
    throw new UsageError(`cannot write the HTML report to ${file}: the directory ${dir} is not writable`)
  }
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) throw new UsageError(`cannot write the HTML report to ${file}: it is a directory`)
}

function integer(value, name, min) {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`)
  return n
}

function useColor(values) {
  return Boolean(process.stdout.isTTY && !values['no-color'] && !('NO_COLOR' in process.env && process.env.NO_COLOR !== ''))
}

/** Writes a file only the user can read: reports quote (truncated) strings from the heap. */
function writePrivate(file, text) {
  fs.writeFileSync(file, text, { mode: 0o600 })
  fs.chmodSync(file, 0o600) // an existing file keeps its mode otherwise
}

/** The bar on stderr: drawn on a terminal unless --quiet. */
const progressBar = (values) => new ProgressBar(process.stderr, { enabled: !values.quiet })

function checkFiles(files) {
  for (const file of files) {
    let stat
    try {
      stat = fs.statSync(file)
    } catch {
      throw new UsageError(`cannot read ${file}: no such file`)
    }
    if (!stat.isFile()) throw new UsageError(`${file} is not a file`)
  }
}

function output(report, values, text) {
  const leakhunt = require('..')
  // The report goes out first: a failing HTML write must not lose it.
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
  else process.stdout.write(`${text}\n`)
  if (values.html) {
    try {
      writePrivate(values.html, leakhunt.renderHtml(report, { generatedAt: new Date().toISOString() }))
    } catch (err) {
      throw new Error(`the report is above, but the HTML report could not be written to ${values.html}: ${err.message}`, { cause: err })
    }
    if (!values.quiet) process.stderr.write(`HTML report written to ${values.html}\n`)
  }
  return report.leaks.length > 0 ? EXIT_LEAKS : EXIT_CLEAN
}

/** A profile run's report (`attach --profile`): exit 1 when an allocation site grows. */
function outputProfile(report, values) {
  const { formatProfileReport, renderProfileHtml } = require('../lib/profile.js')
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
  else process.stdout.write(`${formatProfileReport(report)}\n`)
  if (values.html) {
    writePrivate(values.html, renderProfileHtml(report, { generatedAt: new Date().toISOString() }))
    if (!values.quiet) process.stderr.write(`HTML report written to ${values.html}\n`)
  }
  return report.sites.length > 0 ? EXIT_LEAKS : EXIT_CLEAN
}

async function analyze(files, values) {
  checkFiles(files)
  checkDestination(values.html)
  const leakhunt = require('..')
  const bar = progressBar(values)
  const report = await leakhunt
    .analyzeSnapshots(files[0], files[1], files[2], {
      confirm: files[3],
      iterations: integer(values.iterations, 'iterations', 1),
      ignore: values.ignore,
      includeInternals: Boolean(values['include-internals']),
      redact: Boolean(values.redact),
      sourceMaps: !values['no-source-maps'],
      onProgress: (p) => bar.bytes(p.bytesDone, p.bytesTotal, p.phase),
    })
    .finally(() => bar.done())
  return output(report, values, leakhunt.formatReport(report, { color: useColor(values) }))
}

function table(title, rows, column) {
  const { bytes } = require('../lib/format.js')
  const fmt = (r) => (column === 'count' ? r.count.toLocaleString('en-US') : bytes(r[column]))
  const cells = rows.map((r) => [fmt(r), r.name.length > 60 ? `${r.name.slice(0, 59)}…` : r.name, r.kind])
  const width = Math.max(...cells.map((c) => c[0].length), 1)
  return [title, ...cells.map(([v, name, kind]) => `  ${v.padStart(width)}  ${name} (${kind})`)].join('\n')
}

async function inspect([file], values) {
  checkFiles([file])
  const leakhunt = require('..')
  const { bytes } = require('../lib/format.js')
  const top = integer(values.top, 'top', 1) || 10
  const bar = progressBar(values)
  const summary = await leakhunt
    .readSnapshot(file, { onProgress: (p) => bar.bytes(p.bytesDone, p.bytesTotal, p.phase) })
    .then((snapshot) => {
      bar.update(1, 'dominators and retained sizes', { force: true })
      return snapshot.summary(top)
    })
    .finally(() => bar.done())
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ file, ...summary }, null, 2)}\n`)
    return EXIT_CLEAN
  }
  const bold = useColor(values) ? (s) => `\x1b[1m${s}\x1b[22m` : (s) => s
  process.stdout.write(
    [
      bold(`${file}`),
      `${summary.nodeCount.toLocaleString('en-US')} nodes, ${summary.edgeCount.toLocaleString('en-US')} edges, ${bytes(summary.totalSize)} in all`,
      '',
      table(bold(`Top ${top} by count:`), summary.topByCount, 'count'),
      '',
      table(bold(`Top ${top} by self size:`), summary.topBySelfSize, 'selfSize'),
      '',
      table(bold(`Top ${top} by retained size:`), summary.topByRetainedSize, 'retainedSize'),
    ].join('\n') + '\n',
  )
  return EXIT_CLEAN
}

/** hunt()'s options from the flags `run` and `attach` share; the flags not given are left out. */
function huntOptions(values) {
  const options = {
    iterations: integer(values.iterations, 'iterations', 1),
    warmup: integer(values.warmup, 'warmup', 0),
    settleMs: integer(values['settle-ms'], 'settle-ms', 0),
    trackAllocations: Boolean(values['track-allocations']),
    ignore: values.ignore,
    includeInternals: Boolean(values['include-internals']),
    redact: Boolean(values.redact),
    sourceMaps: !values['no-source-maps'],
  }
  for (const k of Object.keys(options)) if (options[k] === undefined) delete options[k]
  return options
}

function run([scenario], values) {
  checkFiles([scenario])
  checkDestination(values.html)
  const bar = progressBar(values)
  const { runScenario } = require('../lib/run-scenario.js')
  // The scenario's own output goes to stderr, so that stdout holds only the report.
  return runScenario(scenario, huntOptions(values), {
    onOutput: (chunk) => {
      bar.done()
      process.stderr.write(chunk)
    },
    onProgress: (p) => bar.update(p.of ? p.iteration / p.of : null, p.of ? `${p.phase} ${p.iteration}/${p.of}` : p.phase),
  })
    .finally(() => bar.done())
    .then((report) => output(report, values, require('..').formatReport(report, { color: useColor(values) })))
}

/** `--request [METHOD] URL`: a method given takes the URL from the positionals. */
function requestOf(values, positionals) {
  if (values.request === undefined) return undefined
  let method = 'GET'
  let url = values.request
  if (/^[A-Z]+$/.test(url)) {
    method = url
    const at = positionals.findIndex((p) => /^https?:\/\//.test(p))
    if (at === -1) throw new UsageError(`--request ${method} needs a URL after the method`)
    url = positionals.splice(at, 1)[0]
  }
  const headers = {}
  for (const line of values.header || []) {
    const colon = line.indexOf(':')
    if (colon < 1) throw new UsageError(`--header must read 'Name: value', got ${JSON.stringify(line)}`)
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim()
  }
  return { url, method, headers, body: values.data }
}

async function attachCommand(positionals, values) {
  checkDestination(values.html)
  const request = requestOf(values, positionals)
  const pid = integer(values.pid, 'pid', 1)
  if (pid === undefined ? positionals.length !== 1 : positionals.length !== 0) {
    throw new UsageError(`attach takes one <target> (or --pid <pid> and no target), got ${positionals.length} argument${positionals.length === 1 ? '' : 's'} (see leakhunt attach --help)`)
  }
  const profile = integer(values.profile, 'profile', 2000)
  const options = {
    pid,
    target: values.target,
    request,
    eval: values.eval,
    command: values.command,
    wait: integer(values.wait, 'wait', 1000),
    ...(profile === undefined
      ? { ignoreMemoryCheck: Boolean(values['ignore-memory-check']), ...huntOptions(values) }
      : { profile, samplingInterval: integer(values['sampling-interval'], 'sampling-interval', 1024), speedscope: values.speedscope }),
  }
  for (const k of Object.keys(options)) if (options[k] === undefined) delete options[k]
  const actions = ['request', 'eval', 'command', 'wait'].filter((k) => options[k] !== undefined)
  if (actions.length !== 1) throw new UsageError(`attach needs one action: --request, --eval, --command or --wait (see leakhunt attach --help)`)
  const leakhunt = require('..')
  const bar = progressBar(values)
  // Ctrl-C: the hunt stops after its current step and detaches; a second one leaves at once.
  const stop = new AbortController()
  const onInterrupt = () => {
    if (stop.signal.aborted) process.exit(130)
    bar.done()
    process.stderr.write('leakhunt: stopping after this step and detaching (Ctrl-C again to leave now)\n')
    stop.abort(new Error('interrupted'))
  }
  process.on('SIGINT', onInterrupt)
  try {
    const report = await leakhunt.attach(positionals[0], {
      ...options,
      signal: stop.signal,
      onProgress: (p) => bar.update(p.of ? p.iteration / p.of : null, p.of ? `${p.phase} ${p.iteration}/${p.of}` : p.phase),
    })
    bar.done()
    if (report.kind === 'profile') return outputProfile(report, values)
    return output(report, values, leakhunt.formatReport(report, { color: useColor(values) }))
  } finally {
    bar.done()
    process.removeListener('SIGINT', onInterrupt)
  }
}

/** `leakhunt jest` and `leakhunt vitest`: our options before `--`, the runner's after it. */
async function suiteCommand(runner, args) {
  const split = args.indexOf('--')
  const ours = split < 0 ? args : args.slice(0, split)
  const runnerArgs = split < 0 ? [] : args.slice(split + 1)
  let values
  try {
    ;({ values } = parseArgs({ args: ours, options: { json: { type: 'string' }, html: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true }))
  } catch (err) {
    throw new UsageError(`${err.message} (${runner === 'jest' ? 'Jest' : 'Vitest'}'s own options go after --; see leakhunt ${runner} --help)`)
  }
  if (values.help) {
    process.stdout.write(`${HELP[runner]}\n`)
    return EXIT_CLEAN
  }
  checkDestination(values.html)
  const run = runner === 'jest' ? require('../lib/jest-suite.js').runJest : require('../lib/vitest-suite.js').runVitest
  const sandboxes = require('../lib/sandboxes.js')
  let outcome
  try {
    outcome = await run(runnerArgs, { progress: values.quiet ? undefined : (line) => process.stderr.write(`${line}\n`) })
  } catch (err) {
    if (err && (err.code === 'ERR_LEAKHUNT_NO_RUNNER' || err.code === 'ERR_LEAKHUNT_RUNNER_USAGE')) throw new UsageError(err.message)
    throw err
  }
  const { report } = outcome
  process.stdout.write(`\n${sandboxes.format(report)}\n`)
  if (values.json) fs.writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 })
  if (values.html) {
    writePrivate(values.html, require('../lib/html.js').renderSuiteHtml(report, { generatedAt: new Date().toISOString() }))
    if (!values.quiet) process.stderr.write(`HTML report written to ${values.html}\n`)
  }
  const code = report.kept.length > 0 || report.testsFailed ? EXIT_LEAKS : EXIT_CLEAN
  // A kept timer or server would hold this process open after the run: the report named it.
  process.stdout.write('', () => process.exit(code))
  return code
}

async function main(argv) {
  checkNodeVersion()
  const [command, ...rest] = argv
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    const topic = command === 'help' && HELP[rest[0]] ? rest[0] : 'main'
    // Asked for: stdout and success. Not asked for (no command): stderr and a usage error.
    ;(command === undefined ? process.stderr : process.stdout).write(`${HELP[topic]}\n`)
    return command === undefined ? EXIT_ERROR : EXIT_CLEAN
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${require('../package.json').version}\n`)
    return EXIT_CLEAN
  }
  // The MCP server speaks the protocol on stdin and stdout until its client closes them.
  if (command === 'mcp') {
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${HELP.mcp}\n`)
      return EXIT_CLEAN
    }
    if (rest.length > 0) throw new UsageError(`mcp takes no arguments, got ${rest.join(' ')} (see leakhunt mcp --help)`)
    await require('../lib/mcp.js').serve()
    return EXIT_CLEAN
  }
  if (command === 'jest' || command === 'vitest') return suiteCommand(command, rest)
  if (!OPTIONS[command]) throw new UsageError(`unknown command '${command}' (commands: analyze, inspect, run, attach, jest, vitest, mcp; see leakhunt --help)`)
  let parsed
  try {
    parsed = parseArgs({ args: joinNegativeNumbers(rest, OPTIONS[command]), options: OPTIONS[command], allowPositionals: true, strict: true })
  } catch (err) {
    throw new UsageError(err.message)
  }
  const { values, positionals } = parsed
  if (values.help) {
    process.stdout.write(`${HELP[command]}\n`)
    return EXIT_CLEAN
  }
  if (command === 'attach') return attachCommand(positionals, values)
  const wanted = POSITIONALS[command]
  const optional = command === 'analyze' ? 1 : 0
  if (positionals.length < wanted.length || positionals.length > wanted.length + optional) {
    throw new UsageError(`${command} takes ${wanted.map((w) => `<${w}>`).join(' ')}${optional ? ' [<confirm>]' : ''}, got ${positionals.length} argument${positionals.length === 1 ? '' : 's'} (see leakhunt ${command} --help)`)
  }
  if (command === 'analyze') return analyze(positionals, values)
  if (command === 'inspect') return inspect(positionals, values)
  return run(positionals, values)
}

/** One line on stderr, never a stack trace. */
function fail(err) {
  const code = err && err.code && !(err instanceof UsageError) ? ` [${err.code}]` : ''
  const message = String((err && err.message) || err).replace(/^leakhunt: /, '')
  process.stderr.write(`leakhunt: ${message.split('\n')[0]}${code}\n`)
  process.exitCode = EXIT_ERROR
}

// Whatever escapes (an error in an event handler) still ends as one line and exit 2.
process.on('uncaughtException', (err) => {
  fail(err)
  process.exit(EXIT_ERROR)
})

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
}, fail)
