'use strict'
// Every Node release the package admits hunts for real (scripts/node-versions.js lists them:
// the oldest and newest of each line, and releases where hunts once hung), an older one is
// refused at require, and a hunt that cannot finish rejects instead of letting Node exit 0.
const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const { execFile } = require('node:child_process')
const path = require('node:path')
const { SMOKE, REFUSED, nodeVersions } = require('../scripts/node-versions.js')

const FIXTURES = path.join(__dirname, 'fixtures')

function runNode(bin, args) {
  return new Promise((resolve) => {
    execFile(bin, args, { timeout: 120_000, killSignal: 'SIGKILL', env: { ...process.env, NODE_OPTIONS: '' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (err.killed ? 'timeout' : err.code) : 0, stdout, stderr })
    })
  })
}

/** The binary of a fetched release; its absence fails the test (npm test fetches them all). */
function binaryOf(spec) {
  const [found] = nodeVersions([spec])
  assert.ok(found.present, `Node ${spec} is missing from .cache/node-versions: run node scripts/fetch-node-versions.js`)
  return found.bin
}

describe('Node releases', () => {
  for (const spec of SMOKE) {
    it(`Node ${spec}: a leak is found and clean code reports nothing`, async () => {
      const { code, stdout, stderr } = await runNode(binaryOf(spec), [path.join(FIXTURES, 'smoke-hunt.js')])
      assert.equal(code, 0, `the hunt process ended with ${code}:\n${stderr}`)
      const result = JSON.parse(stdout)
      assert.deepEqual(result.leaky, [{ name: 'SmokeLeak', count: 10, perCall: 1 }], `${result.version}: ${stdout}`)
      assert.deepEqual(result.clean, [], `${result.version}: ${stdout}`)
      assert.equal(result.cleanListeners, 0)
    })
  }

  for (const spec of REFUSED) {
    it(`Node ${spec}, older than engines admits: require and the CLI refuse it by name`, async () => {
      const bin = binaryOf(spec)
      const required = await runNode(bin, ['-e', `require(${JSON.stringify(path.join(__dirname, '..'))})`])
      assert.notEqual(required.code, 0)
      assert.match(required.stderr, /Node\.js v18\.16\.1 is too old for leakhunt, which supports Node\.js >=18\.17/)
      const cli = await runNode(bin, [path.join(__dirname, '..', 'bin', 'leakhunt.js'), 'inspect', __filename])
      assert.equal(cli.code, 2)
      assert.match(cli.stderr, /^leakhunt: Node\.js v18\.16\.1 is too old.*\[ERR_LEAKHUNT_NODE_VERSION\]\n$/)
    })
  }
})

describe('a hunt that cannot finish', () => {
  // 20.15.1: a release where the snapshot stream once hung; the system Node: the newest 20.
  const nodes = [['this Node', process.execPath], ...['20.15.1'].map((spec) => [`Node ${spec}`, binaryOf(spec)])]
  for (const [name, bin] of nodes) {
    for (const phase of ['warmup', 'iterations']) {
      it(`${name}: rejects with ERR_LEAKHUNT_UNFINISHED when the event loop empties in ${phase}, and the process exits non-zero`, async () => {
        const { code, stdout, stderr } = await runNode(bin, [path.join(FIXTURES, 'stuck-hunt.js'), phase])
        assert.equal(code, 1, `exit ${code}, stdout: ${stdout}`)
        assert.equal(stdout, '')
        assert.match(stderr, /ERR_LEAKHUNT_UNFINISHED/)
        const at = phase === 'warmup' ? 'warmup (call 1 of 3)' : 'iterations (call 1 of 5)'
        assert.ok(stderr.includes(`event loop emptied while it was in ${at}`), stderr)
      })
    }
  }
})
