'use strict'
// `leakhunt vitest [options] -- [vitest options]`: the project's own Vitest, its config, run
// once. In the vm pools (vmThreads, vmForks) test files share a worker, each in a vm context
// of its own, and a finished file's realm can pile up: the run goes through one worker with
// every file's global watched (runners/vitest-preload.cjs, runners/vitest-watch.mjs), and the
// worker checks the files before the last one after the last one's tests. In the other pools each file gets a
// fresh worker (isolate, the default) and nothing can pile up across files; or all files
// share the worker's one realm (isolate: false), where what grows is an ordinary growth
// point, for assertNoLeaks() or monitor().
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { pathToFileURL } = require('node:url')
const { codedError } = require('./errors.js')

const PRELOAD = require.resolve('../runners/vitest-preload.cjs')
const WATCH = require.resolve('../runners/vitest-watch.mjs')
const VM_POOLS = ['vmThreads', 'vmForks']

async function projectVitest(dir) {
  let entry
  let version
  try {
    entry = require.resolve('vitest/node', { paths: [dir] })
    version = JSON.parse(fs.readFileSync(require.resolve('vitest/package.json', { paths: [dir] }), 'utf8')).version
  } catch {
    throw codedError('ERR_LEAKHUNT_NO_RUNNER', `no Vitest in ${dir}: install it in the project (npm i -D vitest) and run leakhunt vitest there`)
  }
  const api = await import(pathToFileURL(entry).href)
  if (typeof api.createVitest !== 'function' || typeof api.parseCLI !== 'function') {
    throw codedError('ERR_LEAKHUNT_NO_RUNNER', `the Vitest in ${dir} (${version}) has no createVitest/parseCLI; leakhunt vitest needs Vitest 3 or later`)
  }
  return { api, version }
}

function isolateOf(config) {
  const pool = config.pool
  const own = config.poolOptions && config.poolOptions[pool]
  if (own && typeof own.isolate === 'boolean') return own.isolate
  return config.isolate !== false
}

/**
 * Runs the suite and checks it. Resolves to { report }.
 * @param {string[]} args  Vitest's arguments, as on its command line
 */
async function runVitest(args, { cwd = process.cwd(), progress = () => {} } = {}) {
  const { api, version } = await projectVitest(cwd)
  let parsed
  try {
    parsed = api.parseCLI(['vitest', ...args])
  } catch (err) {
    throw codedError('ERR_LEAKHUNT_RUNNER_USAGE', `Vitest: ${err.message}`)
  }
  const filters = parsed.filter || []
  const options = { ...parsed.options, watch: false, run: true }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-vitest-'))
  const out = path.join(dir, 'report.json')
  const saved = { LEAKHUNT_VITEST_FILES: process.env.LEAKHUNT_VITEST_FILES, LEAKHUNT_VITEST_REPORT: process.env.LEAKHUNT_VITEST_REPORT }
  try {
    // Added to the project's config (Vite merges arrays): the watcher in each worker of the vm
    // pools, one worker for the run, and the setup file that reaches it from each file.
    const inOneWorker = (single) => ({ [single]: true, execArgv: ['--require', PRELOAD] })
    const overrides = {
      test: {
        setupFiles: [WATCH],
        poolOptions: { vmThreads: inOneWorker('singleThread'), vmForks: inOneWorker('singleFork') },
      },
    }
    const vitest = await api.createVitest('test', options, overrides)
    const pool = vitest.config.pool
    if (!VM_POOLS.includes(pool)) {
      const note = isolateOf(vitest.config)
        ? `pool '${pool}' runs each test file in a fresh ${pool === 'forks' ? 'process' : 'worker'} (isolate), so nothing a file leaves can pile up across files`
        : `pool '${pool}' with isolate: false runs every file in the worker's one realm: what grows from file to file is an ordinary growth point (use assertNoLeaks() or monitor())`
      progress(`leakhunt: running Vitest ${version}; ${note}`)
      await vitest.start(filters)
      const failed = failedAny(vitest)
      await vitest.close()
      const report = { schemaVersion: 1, files: 0, kept: [], groups: [], unfinished: [], failedNotChecked: [], keptByRunner: [], heapUsed: process.memoryUsage().heapUsed, snapshotMs: 0, analysisMs: 0, totalMs: 0 }
      return { report: { ...report, runner: 'vitest', vitest: version, pool, note, testsFailed: failed } }
    }
    const specs = await vitest.globTestSpecifications(filters)
    process.env.LEAKHUNT_VITEST_FILES = String(specs.length)
    process.env.LEAKHUNT_VITEST_REPORT = out
    progress(`leakhunt: running Vitest ${version} (${pool}) in one worker, each test file's vm context watched`)
    await vitest.start(filters)
    const failed = failedAny(vitest)
    await vitest.close()
    if (!fs.existsSync(out)) {
      throw codedError('ERR_LEAKHUNT_NOT_CHECKED', `the test files were not checked: the worker never finished the run's last file (${specs.length} expected)`)
    }
    const report = JSON.parse(fs.readFileSync(out, 'utf8'))
    Object.assign(report, { runner: 'vitest', vitest: version, pool, testsFailed: failed })
    return { report }
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

function failedAny(vitest) {
  return vitest.state.getFiles().some((f) => f.result && f.result.state === 'fail') || vitest.state.getUnhandledErrors().length > 0
}

module.exports = { runVitest }
