'use strict'
// leakhunt attach: a real order service started as a child (with --inspect=127.0.0.1:0, or
// without and opened with SIGUSR1), hunted from outside through its inspector with each kind
// of action, on Node 20, 22 and 24 as targets. The target must keep serving afterwards.
const { describe, it, after } = require('node:test')
const assert = require('node:assert/strict')
const { spawn, execFile } = require('node:child_process')
const http = require('node:http')
const path = require('node:path')
const { otherNodes } = require('./helpers/snapshots.js')

const ROOT = path.join(__dirname, '..')
const CLI = path.join(ROOT, 'bin', 'leakhunt.js')
const SERVER = path.join(__dirname, 'fixtures', 'attach', 'orders-server.js')

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
  it('opens its inspector with SIGUSR1, finds the leak, and closes the inspector again', async () => {
    const server = await startServer({ inspect: false })
    assertOrdersLeak(await cli(['--pid', String(server.pid), '--request', `http://127.0.0.1:${server.port}/orders`, '--iterations', '10']))
    assert.match(server.stderr(), /Debugger listening on ws:\/\/127\.0\.0\.1:9229\//)
    await new Promise((resolve) => setTimeout(resolve, 300))
    await assert.rejects(get(9229, '/json/list'), /ECONNREFUSED/, 'the inspector it opened is closed again')
    const clean = await cli(['--pid', String(server.pid), '--request', `http://127.0.0.1:${server.port}/health`, '--iterations', '10'])
    assert.equal(clean.code, 0, clean.stderr)
    assert.deepEqual(await get(server.port, '/health'), { status: 200, body: '{"ok":true}' })
    server.child.kill()
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
