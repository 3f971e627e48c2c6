'use strict'
// Sampled heap profiles, measured:
// 1. Overhead: a CPU-bound HTTP service (a SHA-256 and a JSON page per request) under load from
//    this process (32 keep-alive connections over loopback), its throughput without profiling,
//    with monitor({ profile: true }) in it, and while `leakhunt attach --profile` samples it
//    from outside; alternated ROUNDS times, medians, ratios against the run without.
// 2. A heap too big to snapshot: the login service of the tests with BALLAST_OBJECTS small
//    objects and a memory limit (LIMIT_MB): the snapshot hunt is refused, `--profile` names the
//    leaking function, a clean route stays quiet; the longest event-loop pause of each.
// 3. Time to detection: monitor({ profile: true }) at its defaults (a floor every 5 s, one
//    sample per 256 KiB) in a process leaking SessionRecords at RATES MB/min amid ten times
//    as much garbage: how long until 'leak', and whether its first two sites name the leak.
//   node bench/profile.js [overhead|big-heap|detection|all]     (npm run bench:profile)
const { execFile, spawn } = require('node:child_process')
const fs = require('node:fs')
const http = require('node:http')
const path = require('node:path')

const ROUNDS = Number(process.env.ROUNDS || 3)
const SECONDS = Number(process.env.SECONDS || 15)
const CLI = path.join(__dirname, '..', 'bin', 'leakhunt.js')
const SESSIONS = path.join(__dirname, '..', '__test__', 'fixtures', 'attach', 'sessions-server.js')

if (process.argv[2] === '--service') service()
else main(process.argv[2] || 'all')

/**
 * The CPU-bound service. PROFILE: 'monitor' runs monitor({ profile: true }) in it, 'plain'
 * monitor() alone; 'session', 'enable' and 'sampling' take the profiler's parts one by one (an
 * inspector session, HeapProfiler.enable, sampling with no profile taken), to tell what costs.
 */
function service() {
  const crypto = require('node:crypto')
  const mode = process.env.PROFILE
  const samplingInterval = Number(process.env.SAMPLING) || 256 * 1024
  if (mode === 'monitor') require('..').monitor({ profile: process.env.SAMPLING ? { samplingInterval } : true })
  if (mode === 'plain') require('..').monitor()
  if (mode === 'session' || mode === 'enable' || mode === 'sampling') {
    const session = new (require('node:inspector').Session)()
    session.connect()
    if (mode !== 'session') session.post('HeapProfiler.enable')
    if (mode === 'sampling') session.post('HeapProfiler.startSampling', { samplingInterval })
  }
  const body = Buffer.alloc(4096, 7)
  const server = http.createServer((req, res) => {
    let digest = body
    for (let i = 0; i < 20; i++) digest = crypto.createHash('sha256').update(digest).update(body).digest()
    const rows = Array.from({ length: 50 }, (_, i) => ({ i, label: `row ${i}`, digest: digest.toString('hex', 0, 8) }))
    res.end(JSON.stringify(rows))
  })
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port, pid: process.pid })}\n`))
}

function start(script, args, env, scriptArgs = []) {
  const child = spawn(process.execPath, [...args, script, ...scriptArgs], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '', ...env } })
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
      const m = /"port":(\d+),"pid":(\d+)/.exec(out)
      if (m) resolve({ child, port: Number(m[1]), pid: Number(m[2]) })
    })
    child.on('exit', (code) => reject(new Error(`service exited ${code}`)))
  })
}

/** Requests per second completed in `seconds` by `connections` keep-alive loops. */
async function load(port, route, seconds, connections = 32) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections })
  const until = Date.now() + seconds * 1000
  let done = 0
  const one = () =>
    new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: route, agent }, (res) => {
        res.resume()
        res.on('end', resolve)
      }).on('error', reject)
    })
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < until) {
        await one()
        done++
      }
    }),
  )
  agent.destroy()
  return done / seconds
}

/** Runs node with `args` to its end: its exit code, output and time taken. */
function runNode(args, env = {}) {
  return new Promise((resolve) => {
    const started = Date.now()
    execFile(process.execPath, args, { maxBuffer: 64 << 20, env: { ...process.env, ...env } }, (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr, ms: Date.now() - started }))
  })
}

const cli = (args) => runNode([CLI, 'attach', ...args], { NO_COLOR: '1' })

function get(port, route) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: route, agent: false }, (res) => {
      let text = ''
      res.on('data', (d) => (text += d))
      res.on('end', () => resolve(JSON.parse(text)))
    }).on('error', reject)
  })
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]

/** A process's CPU time in ms (user and system, from /proc: Linux only), or NaN. */
function cpuMs(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 // utime, stime in USER_HZ (100)
  } catch {
    return NaN
  }
}

const RUNS = {
  off: 'no profiling',
  plain: 'monitor() without profiles',
  monitor: 'monitor({ profile: true }) in the service',
  attach: 'leakhunt attach --profile from outside',
  session: 'an inspector session only',
  enable: 'HeapProfiler.enable only',
  sampling: 'sampling, no profile taken',
}

async function overhead() {
  const modes = (process.env.MODES || 'off,plain,monitor,attach').split(',')
  const runs = Object.fromEntries(modes.map((m) => [m, []]))
  // The service's CPU time per request: what profiling costs the service itself, steadier than
  // throughput when the load generator (and the CLI) share its cores.
  const cpu = Object.fromEntries(modes.map((m) => [m, []]))
  // ATTACH_MS: the --profile duration (its profiles spread over it); the load is measured in
  // its first SECONDS.
  const attachMs = Number(process.env.ATTACH_MS || (SECONDS + 2) * 1000)
  for (let r = 0; r < ROUNDS; r++) {
    for (const mode of modes) {
      const svc = await start(__filename, [], { PROFILE: mode, SAMPLING: process.env.MONITOR_SAMPLING || '' }, ['--service'])
      await load(svc.port, '/', 2) // warm-up: JIT, sockets
      let profiling = null
      if (mode === 'attach') profiling = cli(['--pid', String(svc.pid), '--profile', String(attachMs), '--wait', String(attachMs), '--quiet', ...(process.env.ATTACH_SAMPLING ? ['--sampling-interval', process.env.ATTACH_SAMPLING] : [])])
      if (profiling) await new Promise((resolve) => setTimeout(resolve, 1000))
      const cpuBefore = cpuMs(svc.pid)
      const rate = await load(svc.port, '/', SECONDS)
      runs[mode].push(rate)
      cpu[mode].push(((cpuMs(svc.pid) - cpuBefore) * 1000) / (rate * SECONDS))
      if (profiling) await profiling
      svc.child.kill()
    }
  }
  const base = median(runs.off)
  console.log(`## Overhead on a CPU-bound HTTP service (${ROUNDS} rounds of ${SECONDS} s, 32 connections, medians)\n`)
  const baseCpu = median(cpu.off)
  console.log('| run | requests/s (each round) | median | against no profiling | service CPU per request | against no profiling |\n| --- | --- | --- | --- | --- | --- |')
  for (const mode of modes) {
    const c = median(cpu[mode])
    console.log(`| ${RUNS[mode]} | ${runs[mode].map((x) => x.toFixed(0)).join(', ')} | ${median(runs[mode]).toFixed(0)} | ${(median(runs[mode]) / base).toFixed(3)} | ${c.toFixed(1)} µs | ${(c / baseCpu).toFixed(3)} |`)
  }
}

async function bigHeap() {
  const objects = Number(process.env.BALLAST_OBJECTS || 30_000_000)
  const limitMb = Number(process.env.LIMIT_MB || 4096)
  const started = Date.now()
  const svc = await start(SESSIONS, ['--max-old-space-size=8192'], { BALLAST_OBJECTS: String(objects), LIMIT_MB: String(limitMb) })
  const built = Date.now() - started
  const stats = await get(svc.port, '/stats')
  console.log(`## A heap too big to snapshot: ${objects.toLocaleString('en-US')} small objects, ${(stats.heapUsed / 1024 ** 3).toFixed(2)} GB heap, a ${limitMb} MB limit (built in ${(built / 1000).toFixed(0)} s)\n`)
  const hunt = await cli(['--pid', String(svc.pid), '--request', `http://127.0.0.1:${svc.port}/health`, '--quiet'])
  console.log(`- snapshot hunt: exit ${hunt.code} in ${(hunt.ms / 1000).toFixed(1)} s: ${hunt.stderr.trim().split('\n').pop().slice(0, 400)}`)
  await get(svc.port, '/stats')
  for (const route of ['login', 'health']) {
    const run = await cli(['--pid', String(svc.pid), '--profile', String(Number(process.env.PROFILE_MS || 60000)), '--request', `http://127.0.0.1:${svc.port}/${route}`, '--json', '--quiet'])
    const after = await get(svc.port, '/stats')
    let what = run.stderr.trim()
    if (run.code !== 2) {
      const report = JSON.parse(run.stdout)
      what = `${report.summary.calls} calls, ${report.summary.profiles} profiles; sites: ${report.sites
        .slice(0, 2)
        .map((s) => `${s.location.functionName || '(anonymous)'} ${path.basename(s.location.scriptName)}:${s.location.line} ${(s.bytesPerMinute / 1048576).toFixed(1)} MB/min from ${s.samples} samples`)
        .join('; ') || 'none'}`
    }
    console.log(`- --profile on /${route}: exit ${run.code} in ${(run.ms / 1000).toFixed(0)} s; ${what}; longest event-loop pause ${after.maxDelayMs.toFixed(0)} ms; heap ${(after.heapUsed / 1024 ** 3).toFixed(2)} GB`)
  }
  svc.child.kill()
}

async function detection() {
  const fixture = path.join(__dirname, '..', '__test__', 'fixtures', 'monitor-profile.js')
  const source = fs.readFileSync(fixture, 'utf8').split('\n')
  const leakLines = ['function login()', 'constructor(id)', 'function tick()'].map((t) => source.findIndex((l) => l.includes(t)) + 1)
  const rates = (process.env.RATES || '100,30,10,3').split(',').map(Number)
  console.log("## Time to detection: monitor({ profile: true }) at its defaults\n")
  console.log('| leak rate | heap slope seen | \'leak\' after | first site | site rate | samples | named in the first two |\n| --- | --- | --- | --- | --- | --- | --- |')
  for (const rate of rates) {
    // 280 logins per 100 ms tick leak ~100 MB/min (the test's fixture).
    const env = { NODE_OPTIONS: '', LOGINS_PER_TICK: String(Math.max(1, Math.round(2.8 * rate))), SAMPLE_MS: '5000', TIMEOUT_MS: String(Number(process.env.DETECTION_TIMEOUT_MS || 600_000)) }
    const { code, stdout, stderr } = await runNode([fixture], env)
    if (code !== 0) {
      console.log(`| ${rate} MB/min | — | none: ${stderr.trim().slice(0, 200)} | | | | |`)
      continue
    }
    const leak = JSON.parse(stdout)
    const first = leak.sites[0]
    const named = leak.sites.slice(0, 2).some((s) => s.location.scriptName.endsWith('monitor-profile.js') && leakLines.includes(s.location.line))
    const mb = (b) => `${(b / 1048576).toFixed(1)} MB/min`
    console.log(`| ${rate} MB/min | ${mb(leak.heapSlope)} | ${(leak.afterMs / 1000).toFixed(0)} s | ${first ? `${first.location.functionName || '(anonymous)'} :${first.location.line}` : 'none'} | ${first ? mb(first.bytesPerMinute) : ''} | ${first ? first.samples : ''} | ${named ? 'yes' : 'no'} |`)
  }
}

async function main(what) {
  if (what === 'overhead' || what === 'all') await overhead()
  if (what === 'big-heap' || what === 'all') await bigHeap()
  if (what === 'detection' || what === 'all') await detection()
}
