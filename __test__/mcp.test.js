'use strict'
// `leakhunt mcp` driven by a real MCP client (the SDK's, over stdio), as an agent drives it: the
// tools listed, each called on real leaks and clean code, bad arguments answered as the
// tool's error with the server still serving, a cancelled hunt leaving no process behind,
// and every answer within its size bound. On Node 20, 22 and 24.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { execFileSync, spawn } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')
const { Client } = require('@modelcontextprotocol/sdk/client/index.js')
const { StdioClientTransport } = require('@modelcontextprotocol/sdk/client/stdio.js')

const { otherNodes, threeSnapshots } = require('./helpers/snapshots.js')

const CLI = path.join(__dirname, '..', 'bin', 'leakhunt.js')
const SCENARIOS = path.join(__dirname, 'scenarios')
const BRIEF = 8 * 1024

async function connect(node) {
  const transport = new StdioClientTransport({ command: node, args: [CLI, 'mcp'], stderr: 'pipe' })
  const client = new Client({ name: 'leakhunt-test', version: '1.0.0' })
  await client.connect(transport)
  return client
}

/** A call's answer, checked for the parts every answer has. */
async function call(client, name, args, options) {
  const result = await client.callTool({ name, arguments: args }, undefined, { timeout: 180_000, ...options })
  assert.equal(result.content[0].type, 'text')
  if (!result.isError) assert.ok(JSON.stringify(result.structuredContent).length <= (args.detail === 'full' ? 64 * 1024 : BRIEF), 'within its size bound')
  return result
}

/** The order service of the attach tests, with its inspector open on a free port. */
function startService(node) {
  const child = spawn(node, ['--inspect=127.0.0.1:0', path.join(__dirname, 'fixtures', 'attach', 'orders-server.js')], { stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    const check = setInterval(() => {
      const inspector = /ws:\/\/\S+/.exec(err)
      if (out.includes('\n') && inspector) {
        clearInterval(check)
        resolve({ child, port: JSON.parse(out.split('\n')[0]).port, inspector: inspector[0] })
      }
    }, 50)
    child.on('exit', (code) => {
      clearInterval(check)
      reject(new Error(`the service ended (${code}): ${err}`))
    })
  })
}

const nodes = { [process.versions.node.split('.')[0]]: process.execPath, ...otherNodes() }

for (const [major, node] of Object.entries(nodes)) {
  describe(`leakhunt mcp on Node ${major}`, () => {
    let client
    before(async () => {
      client = await connect(node)
    })
    after(async () => {
      await client.close()
    })

    it('lists its tools, each with a JSON schema', async () => {
      const { tools } = await client.listTools()
      assert.deepEqual(tools.map((t) => t.name).sort(), ['analyze_snapshots', 'attach', 'hunt_module', 'inspect_snapshot'])
      for (const tool of tools) {
        assert.equal(tool.inputSchema.type, 'object')
        assert.ok(tool.description.length > 40, tool.name)
      }
    })

    it('hunt_module finds a leak with its holder, cause and fix, reporting progress; a clean module has none', async () => {
      let notes = 0
      const leaky = await call(client, 'hunt_module', { module: path.join(SCENARIOS, 'map-cache.js') }, { onprogress: () => notes++ })
      assert.equal(leaky.isError, undefined, leaky.content[0].text)
      const [lead] = leaky.structuredContent.leaks
      assert.equal(leaky.structuredContent.leakCount, 1)
      assert.equal(lead.holder, 'responseCache')
      assert.equal(lead.cause, 'collection-cache')
      assert.match(lead.fix, /WeakMap|bound it/)
      assert.match(lead.definedAt, /map-cache\.js:\d+:\d+/)
      assert.match(leaky.content[0].text, /✖ responseCache gains 1 CachedResponse per call/)
      assert.ok(notes > 0, 'progress notifications')
      const clean = await call(client, 'hunt_module', { module: path.join(SCENARIOS, 'control-temporaries.js') })
      assert.equal(clean.structuredContent.leakCount, 0)
      assert.match(clean.content[0].text, /no leaks found/)
    })

    it('answers bad arguments as the tool\'s error, and goes on serving', async () => {
      for (const [name, args, said] of [
        ['hunt_module', { modul: 'x.js' }, /no argument 'modul'/],
        ['hunt_module', { module: path.join(SCENARIOS, 'no-such-file.js') }, /does not exist/],
        ['hunt_module', { module: SCENARIOS }, /is not a file/],
        ['analyze_snapshots', { baseline: 'a' }, /needs 'target'/],
        ['attach', { target: '10.1.2.3:9229', wait: 1000 }, /this machine only/],
        ['attach', { target: '127.0.0.1:1', eval: '1', request: 'http://127.0.0.1:1/' }, /one action/],
        ['attach', { pid: 4194303, wait: 1000 }, /no process 4194303/],
        ['inspect_snapshot', { file: CLI, top: 0 }, /1 or more/],
        ['no_such_tool', {}, /no tool 'no_such_tool'/],
      ]) {
        const result = await client.callTool({ name, arguments: args })
        assert.equal(result.isError, true, `${name} ${JSON.stringify(args)}`)
        assert.match(result.content[0].text, said)
      }
      const { tools } = await client.listTools()
      assert.equal(tools.length, 4, 'still serving')
    })
  })
}

for (const [major, node] of Object.entries(nodes)) describe(`leakhunt mcp on Node ${major}: snapshots, a running service, cancellation`, () => {
  let client
  let set
  before(async () => {
    client = await connect(node)
    set = threeSnapshots('global-ledger.js', { iterations: 10, node })
  })
  after(async () => {
    await client.close()
    set.cleanup()
  })

  it('analyze_snapshots and inspect_snapshot read the files the call names', async () => {
    const result = await call(client, 'analyze_snapshots', { baseline: set.baseline, target: set.target, final: set.final, iterations: 10 })
    assert.ok(result.structuredContent.leakCount >= 1, result.content[0].text)
    assert.match(result.content[0].text, /✖ .*ledger/i)
    const summary = await call(client, 'inspect_snapshot', { file: set.final, top: 5 })
    assert.equal(summary.structuredContent.topByCount.length, 5)
    assert.ok(summary.structuredContent.nodeCount > 1000)
  })

  it('attach finds the leaky route of a running service, passes the clean one, and profiles without a snapshot', async () => {
    const service = await startService(node)
    try {
      const leaky = await call(client, 'attach', { target: service.inspector, request: `http://127.0.0.1:${service.port}/orders`, iterations: 10 })
      assert.equal(leaky.structuredContent.leaks[0].holder, 'placedOrders', leaky.content[0].text)
      assert.match(leaky.structuredContent.leaks[0].fix, /trim placedOrders/)
      const clean = await call(client, 'attach', { target: service.inspector, request: `http://127.0.0.1:${service.port}/health`, iterations: 10 })
      assert.equal(clean.structuredContent.leakCount, 0, clean.content[0].text)
      const profile = await call(client, 'attach', { target: service.inspector, request: `http://127.0.0.1:${service.port}/orders`, profile: 4000 })
      assert.equal(profile.structuredContent.kind, 'profile', profile.content[0].text)
    } finally {
      service.child.kill()
    }
  })

  it('a hunt cancelled midway leaves no process behind, and the server goes on serving', async () => {
    const scenario = path.join(SCENARIOS, 'map-cache.js')
    const stop = new AbortController()
    const running = client.callTool({ name: 'hunt_module', arguments: { module: scenario, iterations: 400 } }, undefined, {
      signal: stop.signal,
      timeout: 180_000,
      onprogress: () => stop.abort(),
    })
    await assert.rejects(running)
    // The hunt's process is killed on cancellation: none runs the scenario a moment later.
    let left = ''
    for (let waited = 0; waited < 3000; waited += 100) {
      left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes('run-child.js') && line.includes(scenario)).join('\n')
      if (!left) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    assert.equal(left, '', 'no hunt process left')
    assert.equal(fs.existsSync(scenario), true)
    const { tools } = await client.listTools()
    assert.equal(tools.length, 4)
  })
})
