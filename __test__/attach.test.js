'use strict'
// leakhunt attach: a real order service started as a child (with --inspect=127.0.0.1:0, or
// without and opened with SIGUSR1), hunted from outside through its inspector with each kind
// of action, on Node 20, 22 and 24 as targets. The target must keep serving afterwards.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { spawn, execFile } = require('node:child_process')
const fs = require('node:fs')
const http = require('node:http')
const os = require('node:os')
const path = require('node:path')
const { otherNodes } = require('./helpers/snapshots.js')

const ROOT = path.join(__dirname, '..')
const CLI = path.join(ROOT, 'bin', 'leakhunt.js')
const SERVER = path.join(__dirname, 'fixtures', 'attach', 'orders-server.js')
const PAGE = path.join(__dirname, 'fixtures', 'page', 'page.html')
const WIDGETS = path.join(__dirname, 'fixtures', 'page', 'widgets.js')
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p))

const started = []
after(() => {
  for (const child of started) child.kill('SIGKILL')
})

/** Starts the order service; resolves to its HTTP port, pid and (with --inspect) inspector address. */
function startServer({ node = process.execPath, inspect = true } = {}) {
  const args = inspect ? ['--inspect=127.0.0.1:0', SERVER] : [SERVER]
  const child = spawn(node, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } })
  started.push(child)
  let out = ''
  let err = ''
  return new Promise((resolve, reject) => {
    const check = () => {
      const listening = /"port":(\d+),"pid":(\d+)/.exec(out)
      const inspector = /Debugger listening on ws:\/\/(127\.0\.0\.1:\d+)\//.exec(err)
      if (listening && (inspector || !inspect)) {
        resolve({ child, port: Number(listening[1]), pid: Number(listening[2]), inspector: inspector && inspector[1], stderr: () => err })
      }
    }
    child.stdout.on('data', (d) => {
      out += d
      check()
    })
    child.stderr.on('data', (d) => {
      err += d
      check()
    })
    child.on('exit', (code) => reject(new Error(`the server exited (${code}): ${err}`)))
  })
}

function cli(args, { timeout = 120_000 } = {}) {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'attach', ...args], { timeout, killSignal: 'SIGKILL', env: { ...process.env, NO_COLOR: '1', NODE_OPTIONS: '' }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, stdout, stderr })
    })
  })
}

function get(port, route) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: route, agent: false }, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode, body }))
    }).on('error', reject)
  })
}

/** What every found leak of the service must show: class, rate, holder, cause. */
function assertOrdersLeak({ code, stdout, stderr }) {
  assert.equal(code, 1, `${stdout}\n${stderr}`)
  assert.match(stdout, /✖ placedOrders gains 1 Order per call, class at \S*orders-server\.js:\d+:\d+/)
  assert.match(stdout, /\.placedOrders \(closure variable\) -> Array/)
  assert.match(stdout, /cause: Array used as a cache without eviction/)
}

const nodes = () => ({ 20: process.execPath, ...otherNodes() })

describe('leakhunt attach to a Node service started with --inspect', () => {
  for (const major of ['20', '22', '24']) {
    it(`Node ${major}: --request finds the leaky route (exit 1) and passes the clean one (exit 0); the service keeps serving`, async () => {
      const server = await startServer({ node: nodes()[major] })
      assertOrdersLeak(await cli([server.inspector, '--request', `http://127.0.0.1:${server.port}/orders`, '--iterations', '10']))
      const clean = await cli([server.inspector, '--request', 'GET', `http://127.0.0.1:${server.port}/health`, '--iterations', '10', '--json'])
      assert.equal(clean.code, 0, clean.stderr)
      const report = JSON.parse(clean.stdout)
      assert.deepEqual(report.leaks, [])
      assert.equal(report.summary.attached.kind, 'node')
      assert.equal(report.summary.confirmed, report.retained.length > 0)
      assert.deepEqual(await get(server.port, '/health'), { status: 200, body: '{"ok":true}' })
      server.child.kill()
    })
  }

  for (const major of ['20', '24']) {
    it(`Node ${major}: finds a leak in bytes through the target's inspector (an Array of numbers per request), and the clean route passes`, async () => {
      const server = await startServer({ node: nodes()[major] })
      const leaky = await cli([server.inspector, '--request', `http://127.0.0.1:${server.port}/latency`, '--iterations', '20'])
      assert.equal(leaky.code, 1, `${leaky.stdout}\n${leaky.stderr}`)
      assert.match(leaky.stdout, /✖ latencies grows by 16 B per call \(an Array of numbers, longer after every call\)/)
      assert.match(leaky.stdout, /cause: An Array of numbers that only grows — `latencies` gains 2 numbers per call/)
      const clean = await cli([server.inspector, '--request', `http://127.0.0.1:${server.port}/health`, '--iterations', '20'])
      assert.equal(clean.code, 0, `${clean.stdout}\n${clean.stderr}`)
      server.child.kill()
    })
  }

  it('--eval and --command run the action in the target and from a shell', async () => {
    const server = await startServer()
    assertOrdersLeak(await cli([server.inspector, '--eval', 'placeOrder()', '--iterations', '10']))
    const curl = `${JSON.stringify(process.execPath)} -e "require('http').get('http://127.0.0.1:${server.port}/orders', (r) => r.resume())"`
    assertOrdersLeak(await cli([server.inspector, '--command', curl, '--iterations', '10']))
    const asyncEval = await cli([server.inspector, '--eval', 'new Promise((resolve) => setTimeout(resolve, 5))', '--iterations', '5', '--json'])
    assert.equal(asyncEval.code, 0, asyncEval.stderr)
    server.child.kill()
  })

  it('stops with a clear error when the action fails, and the target keeps serving', async () => {
    const server = await startServer()
    const failing = await cli([server.inspector, '--request', `http://127.0.0.1:${server.port}/fail`])
    assert.equal(failing.code, 2)
    assert.match(failing.stderr, /GET http:\/\/127\.0\.0\.1:\d+\/fail answered 500/)
    const throwing = await cli([server.inspector, '--eval', "(() => { throw new Error('no such job') })()"])
    assert.equal(throwing.code, 2)
    assert.match(throwing.stderr, /the expression threw in the target: Error: no such job/)
    const command = await cli([server.inspector, '--command', 'exit 3'])
    assert.equal(command.code, 2)
    assert.match(command.stderr, /`exit 3` exited with 3/)
    const none = await cli([server.inspector])
    assert.equal(none.code, 2)
    assert.match(none.stderr, /attach needs one action/)
    assert.deepEqual(await get(server.port, '/health'), { status: 200, body: '{"ok":true}' })
    server.child.kill()
  })

  it('Ctrl-C stops the hunt and detaches; the target keeps running and can be hunted again', async () => {
    const server = await startServer()
    const child = spawn(process.execPath, [CLI, 'attach', server.inspector, '--wait', '60000', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    // The first snapshot is taken within a second or so; then the calls (one per second) run.
    await new Promise((resolve) => setTimeout(resolve, 3000))
    child.kill('SIGINT')
    const code = await new Promise((resolve) => child.on('exit', resolve))
    assert.equal(code, 2, stderr)
    assert.match(stderr, /stopping after this step and detaching/)
    assert.match(stderr, /aborted/)
    assert.deepEqual(await get(server.port, '/health'), { status: 200, body: '{"ok":true}' })
    assertOrdersLeak(await cli([server.inspector, '--request', `http://127.0.0.1:${server.port}/orders`, '--iterations', '10']))
    server.child.kill()
  })

  it('from code: attach() resolves to a HuntReport with the target, and refuses bad options', async () => {
    const { attach } = require('..')
    const server = await startServer()
    const report = await attach(server.inspector, { request: `http://127.0.0.1:${server.port}/orders`, iterations: 10 })
    assert.deepEqual(
      report.leaks.map((p) => [p.holder.label, p.name, p.countPerIteration, p.verdict.reason]),
      [['placedOrders', 'Order', 1, 'grows-with-calls']],
    )
    const { url, snapshotEstimate, ...rest } = report.summary.attached
    assert.match(url, /^ws:\/\/127\.0\.0\.1:\d+\//)
    assert.deepEqual(rest, { kind: 'node', action: `request GET http://127.0.0.1:${server.port}/orders`, memoryCheck: 'passed' })
    // The memory check's estimate: objects counted by a heap walk, ~1.5 KB each.
    assert.equal(snapshotEstimate.counted, true)
    assert.ok(snapshotEstimate.objects > 10_000 && snapshotEstimate.objects < 1_000_000, JSON.stringify(snapshotEstimate))
    assert.equal(snapshotEstimate.bytes, snapshotEstimate.objects * 1500)
    await assert.rejects(attach(server.inspector, {}), { code: 'ERR_INVALID_ARG_VALUE', message: /exactly one action .*got none/ })
    await assert.rejects(attach(server.inspector, { eval: '1', wait: 1000 }), { code: 'ERR_INVALID_ARG_VALUE', message: /got eval, wait/ })
    await assert.rejects(attach(server.inspector, { eval: '1', keepSnapshots: '/tmp' }), { code: 'ERR_INVALID_ARG_TYPE' })
    await assert.rejects(attach(server.inspector, { eval: '1', itrations: 5 }), { code: 'ERR_INVALID_ARG_VALUE', message: /iterations/ })
    await assert.rejects(attach(server.inspector, { request: 'ftp://x' }), { code: 'ERR_INVALID_ARG_TYPE' })
    await assert.rejects(attach(server.inspector, { eval: '1', pid: 5 }), { code: 'ERR_INVALID_ARG_TYPE', message: /with options\.pid/ })
    server.child.kill()
  })

  it('says what is wrong with the target', async () => {
    const nothing = await cli(['127.0.0.1:9', '--wait', '1000'])
    assert.equal(nothing.code, 2)
    assert.match(nothing.stderr, /no inspector answers at http:\/\/127\.0\.0\.1:9/)
    const server = await startServer()
    const wrong = await cli([server.inspector, '--target', 'no-such-page', '--wait', '1000'])
    assert.equal(wrong.code, 2)
    assert.match(wrong.stderr, /lists no target whose URL or title contains "no-such-page"/)
    server.child.kill()
  })
})

describe('leakhunt attach --pid: a Node service started without --inspect', () => {
  for (const major of ['20', '22', '24']) {
    it(`Node ${major}: opens its inspector with SIGUSR1, finds the leak, and closes the inspector again`, async () => {
      const server = await startServer({ node: nodes()[major], inspect: false })
      assertOrdersLeak(await cli(['--pid', String(server.pid), '--request', `http://127.0.0.1:${server.port}/orders`, '--iterations', '10']))
      assert.match(server.stderr(), /Debugger listening on ws:\/\/127\.0\.0\.1:9229\//)
      await new Promise((resolve) => setTimeout(resolve, 300))
      await assert.rejects(get(9229, '/json/list'), /ECONNREFUSED/, 'the inspector it opened is closed again')
      const clean = await cli(['--pid', String(server.pid), '--request', `http://127.0.0.1:${server.port}/health`, '--iterations', '10'])
      assert.equal(clean.code, 0, clean.stderr)
      assert.deepEqual(await get(server.port, '/health'), { status: 200, body: '{"ok":true}' })
      server.child.kill()
    })
  }

  it("says so when port 9229 is another process's inspector, and leaves the process running", async () => {
    const squatter = await startServer({ inspect: false })
    const other = spawn(process.execPath, ['--inspect=127.0.0.1:9229', SERVER], { stdio: ['ignore', 'pipe', 'pipe'] })
    started.push(other)
    await new Promise((resolve) => other.stderr.on('data', (d) => /Debugger listening/.test(String(d)) && resolve()))
    const taken = await cli(['--pid', String(squatter.pid), '--wait', '1000'])
    assert.equal(taken.code, 2)
    assert.match(taken.stderr, new RegExp(`127\\.0\\.0\\.1:9229 is the inspector of process ${other.pid}, not of ${squatter.pid}`))
    assert.deepEqual(await get(squatter.port, '/health'), { status: 200, body: '{"ok":true}' })
    other.kill()
    squatter.child.kill()
  })

  it('refuses a process that is not Node, and one that does not exist', async () => {
    const sleeper = spawn('sleep', ['30'])
    started.push(sleeper)
    const notNode = await cli(['--pid', String(sleeper.pid), '--wait', '1000'])
    assert.equal(notNode.code, 2)
    assert.match(notNode.stderr, /process \d+ \(sleep\) is not a Node process/)
    assert.equal(sleeper.exitCode, null, 'not signalled')
    sleeper.kill()
    const gone = await cli(['--pid', '99999999', '--wait', '1000'])
    assert.equal(gone.code, 2)
    assert.match(gone.stderr, /no process 99999999/)
  })
})

/** Headless Chromium showing the page fixture, with its DevTools endpoint on a free port. */
async function startChromium() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-attach-chromium-'))
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  // A process group of its own, so that helpers outliving the browser can be ended with it.
  const child = spawn(CHROMIUM, [...args, '--remote-debugging-port=0', `--user-data-dir=${profile}`, `file://${PAGE}`], { stdio: 'ignore', detached: true })
  started.push(child)
  const portFile = path.join(profile, 'DevToolsActivePort')
  for (let waited = 0; !fs.existsSync(portFile) || fs.readFileSync(portFile, 'utf8').split('\n').length < 2; waited += 100) {
    if (waited > 30_000) throw new Error('Chromium opened no DevTools port within 30 s')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const port = Number(fs.readFileSync(portFile, 'utf8').split('\n')[0])
  // The port opens before the page has run its script; hunting then finds no functions.
  for (let waited = 0; !(await targets(port)).some((t) => t.title === 'widgets ready'); waited += 100) {
    if (waited > 30_000) throw new Error('the page fixture did not load within 30 s')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    // Killed outright, Chromium's helper processes went on writing into the profile after it
    // was removed (a run in three left it behind, or failed the removal): asked to quit, the
    // browser ends its helpers first; killed only if it has not exited within 10 s.
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(timer)
      }
      // A helper still writing into the profile after the browser exited failed its removal
      // (ENOTEMPTY, once in a full run): whatever is left of the group goes first.
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {
        // the group is gone: nothing outlived the browser
      }
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 })
    },
  }
}

/** The DevTools endpoint's target list. */
function targets(port) {
  return new Promise((resolve, reject) => {
    http.get(`http://127.0.0.1:${port}/json/list`, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve(JSON.parse(body)))
    }).on('error', reject)
  })
}

/** Line and column where V8 places a function of widgets.js: `(` of its parameters. */
function widgetsPosition(lineStart, token) {
  const lines = fs.readFileSync(WIDGETS, 'utf8').split('\n')
  const k = lines.findIndex((l) => l.includes(lineStart))
  return `${k + 1}:${lines[k].indexOf(token) + 1}`
}

describe('leakhunt attach to a page in headless Chromium', { skip: !CHROMIUM && !process.env.CI && 'Chromium is not installed (apt-get install chromium); in CI this fails instead' }, () => {
  let chromium
  const hunt = (expression) => cli([chromium.endpoint, '--target', 'page.html', '--eval', expression, '--iterations', '10'])
  before(async () => {
    assert.ok(CHROMIUM, 'Chromium is not installed (apt-get install chromium)')
    chromium = await startChromium()
  })
  after(() => chromium?.stop())

  it('finds detached DOM nodes kept in an array, and names them Detached <…>', async () => {
    const { code, stdout, stderr } = await hunt('removeRow()')
    assert.equal(code, 1, `${stdout}\n${stderr}`)
    assert.match(stdout, /✖ removedRows gains 1 Detached <div class="row"> per call/)
    assert.match(stdout, /\.removedRows \(closure variable\) -> Array/)
  })

  it('finds listeners added to window per call, with the script URL of their function', async () => {
    const { code, stdout, stderr } = await hunt('openPanel()')
    assert.equal(code, 1, `${stdout}\n${stderr}`)
    const at = widgetsPosition("window.addEventListener('resize'", '() =>')
    assert.ok(stdout.includes(`✖ window's event listeners gains 1 (anonymous function) per call defined at file://${WIDGETS}:${at}`), stdout)
    assert.match(stdout, /cause: Listener on a long-lived event target — a listener on window is added on every call and never removed/)
    assert.match(stdout, /fix: remove it with removeEventListener\(\)/)
    assert.match(stdout, /holds: .*10 Panel/)
    // A class held by the lead carries where it is defined too, not only the lead.
    const panel = widgetsPosition('class Panel', 'constructor()')
    assert.ok(stdout.includes(`10 Panel (`) && new RegExp(`10 Panel \\([^)]*, class at file://${WIDGETS.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+\\)`).test(stdout), `${panel}\n${stdout}`)
  })

  it('finds intervals armed per call and never cleared', async () => {
    const { code, stdout, stderr } = await hunt('startPolling()')
    assert.equal(code, 1, `${stdout}\n${stderr}`)
    const at = widgetsPosition('setInterval(', '() =>')
    assert.ok(stdout.includes(`✖ timers armed per call gains 1 (anonymous function) per call defined at file://${WIDGETS}:${at}`), stdout)
    assert.match(stdout, /each keeping a Poller alive/)
    assert.match(stdout, /fix: keep the handle and clearInterval\(\)/)
  })

  it('passes code that makes and drops DOM nodes, and the page is still there', async () => {
    const { code, stdout, stderr } = await hunt('tick()')
    assert.equal(code, 0, `${stdout}\n${stderr}`)
    assert.match(stdout, /no leaks found over 10 calls/)
    const list = await targets(chromium.port)
    assert.ok(list.some((t) => t.type === 'page' && t.url === `file://${PAGE}`), JSON.stringify(list))
  })
})
