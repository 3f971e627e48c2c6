'use strict'
// Sampled heap profiles, measured:
// 1. Overhead: a CPU-bound HTTP service (a SHA-256 and a JSON page per request) under load from
//    this process (32 keep-alive connections over loopback), its throughput without profiling,
//    with monitor({ profile: true }) in it, and while `leakhunt attach --profile` samples it
//    from outside; alternated ROUNDS times, medians, ratios against the run without.
// 2. A heap too big to snapshot: the login service of the tests with BALLAST_OBJECTS small
//    objects and a memory limit (LIMIT_MB): the snapshot hunt is refused, `--profile` names the
//    leaking function, a clean route stays quiet; the longest event-loop pause of each.
//   node bench/profile.js [overhead|big-heap|all]     (npm run bench:profile)
const { execFile, spawn } = require('node:child_process')
const http = require('node:http')
const path = require('node:path')

const ROUNDS = Number(process.env.ROUNDS || 3)
const SECONDS = Number(process.env.SECONDS || 15)
const CLI = path.join(__dirname, '..', 'bin', 'leakhunt.js')
const SESSIONS = path.join(__dirname, '..', '__test__', 'fixtures', 'attach', 'sessions-server.js')

if (process.argv[2] === '--service') service()
else main(process.argv[2] || 'all')

/** The CPU-bound service; PROFILE=1 runs monitor({ profile: true }) in it. */
function service() {
  const crypto = require('node:crypto')
  if (process.env.PROFILE === '1') require('..').monitor({ profile: process.env.SAMPLING ? { samplingInterval: Number(process.env.SAMPLING) } : true })
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

/** Requests completed in `seconds` by `connections` keep-alive loops. */
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

function cli(args) {
  return new Promise((resolve) => {
    const started = Date.now()
    execFile(process.execPath, [CLI, 'attach', ...args], { maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr, ms: Date.now() - started }))
  })
}

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

async function overhead() {
  const runs = { off: [], monitor: [], attach: [] }
  for (let r = 0; r < ROUNDS; r++) {
    for (const mode of Object.keys(runs)) {
      const svc = await start(__filename, [], { PROFILE: mode === 'monitor' ? '1' : '0' }, ['--service'])
      await load(svc.port, '/', 2) // warm-up: JIT, sockets
      let profiling = null
      if (mode === 'attach') profiling = cli(['--pid', String(svc.pid), '--profile', String((SECONDS + 2) * 1000), '--wait', String((SECONDS + 2) * 1000), '--quiet'])
      if (profiling) await new Promise((resolve) => setTimeout(resolve, 1000))
      runs[mode].push(await load(svc.port, '/', SECONDS))
      if (profiling) await profiling
      svc.child.kill()
    }
  }
  const base = median(runs.off)
  console.log(`## Overhead on a CPU-bound HTTP service (${ROUNDS} rounds of ${SECONDS} s, 32 connections, medians)\n`)
  console.log('| run | requests/s | against no profiling |\n| --- | --- | --- |')
  console.log(`| no profiling | ${base.toFixed(0)} | 1.000 |`)
  console.log(`| monitor({ profile: true }) in the service | ${median(runs.monitor).toFixed(0)} | ${(median(runs.monitor) / base).toFixed(3)} |`)
  console.log(`| leakhunt attach --profile from outside | ${median(runs.attach).toFixed(0)} | ${(median(runs.attach) / base).toFixed(3)} |`)
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

async function main(what) {
  if (what === 'overhead' || what === 'all') await overhead()
  if (what === 'big-heap' || what === 'all') await bigHeap()
}
