'use strict'
// Every platform leakhunt ships, from the tarballs `npm run pack-all` wrote into dist/: each
// native core is the file its platform loads (format, CPU, Node's entry point, only system
// libraries); Linux arm64 runs under qemu-user and Windows x64 under Wine with the npm
// registry's Node for them, installed as a user would (`npm install --os --cpu`); the
// WebAssembly fallback runs on this machine, forced and as the fallback it is. macOS and
// musl cores cannot run here (no macOS, and no musl Node that runs on Debian's musl): they
// are checked by their headers only.
//   npm run pack-all && npm run test:platforms
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { execFileSync, spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { NATIVE, WASM } = require('../../lib/platform.js')
const { checkBinary } = require('../../scripts/binary-format.js')
const { threeSnapshots } = require('../helpers/snapshots.js')
const { arm64Node, windowsNode } = require('./foreign.js')

const ROOT = path.join(__dirname, '..', '..')
const DIST = path.join(ROOT, 'dist')
const { version } = require('../../package.json')
const tarball = (name) => path.join(DIST, `${name}-${version}.tgz`)

/** A leak any core must find: a class kept in an Array, one per call. */
const HUNT = `
  const { hunt } = require('leakhunt')
  class Kept { constructor(i) { this.i = i } }
  const kept = []
  hunt(() => void kept.push(new Kept(kept.length)), { iterations: 10 }).then((report) => {
    const core = require('leakhunt/package.json') && Object.keys(require.cache).find((k) => /\\.(node|wasm|wasi\\.cjs)$/.test(k))
    const out = JSON.stringify({ leaks: report.leaks.map((g) => [g.name, g.count]), core })
    if (process.env.LEAKHUNT_OUT) require('node:fs').writeFileSync(process.env.LEAKHUNT_OUT, out)
    else console.log(out)
  }, (err) => { console.error(err); process.exitCode = 3 })`

const projects = []
/**
 * An empty project that depends on leakhunt's tarball, installed by npm as for `os`/`cpu`/
 * `libc` of another machine (`npmFlags`): the platform packages are leakhunt's optional
 * dependencies, pointed at their tarballs by `overrides` (they are on no registry yet), and npm
 * picks the one that fits, as it does for users.
 */
function project(npmFlags) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-platform-'))
  projects.push(dir)
  const overrides = Object.fromEntries([...NATIVE, WASM].map((p) => [`leakhunt-${p.platform}`, `file:${tarball(`leakhunt-${p.platform}`)}`]))
  const manifest = { name: 'uses-leakhunt', private: true, dependencies: { leakhunt: `file:${tarball('leakhunt')}` }, overrides }
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...npmFlags], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  return dir
}
/** An empty project with the named tarballs installed as the README says, with --force. */
function projectByName(platform, npmFlags) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-platform-'))
  projects.push(dir)
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "uses-leakhunt", "private": true }\n')
  const tarballs = [tarball('leakhunt'), tarball(`leakhunt-${platform}`)]
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--force', ...npmFlags, ...tarballs], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  return dir
}

/** The platform packages npm installed into a project. */
const installed = (dir) => fs.readdirSync(path.join(dir, 'node_modules')).filter((n) => n.startsWith('leakhunt-'))
after(() => {
  for (const dir of projects) fs.rmSync(dir, { recursive: true, force: true })
})

before(() => {
  const missing = [...NATIVE, WASM].map((p) => tarball(`leakhunt-${p.platform}`)).filter((t) => !fs.existsSync(t))
  if (missing.length > 0) throw new Error(`missing ${missing.map((t) => path.basename(t)).join(', ')}: run npm run pack-all first`)
})

describe('the tarballs of npm run pack-all', () => {
  const unpack = (name, file) => execFileSync('tar', ['xzf', tarball(name), '-O', `package/${file}`], { maxBuffer: 64 << 20 })

  it('are one per platform and leakhunt, which names them all as optional dependencies', () => {
    const names = fs.readdirSync(DIST).filter((f) => f.endsWith(`-${version}.tgz`)).sort()
    const want = ['leakhunt', ...[...NATIVE, WASM].map((p) => `leakhunt-${p.platform}`)].map((n) => `${n}-${version}.tgz`).sort()
    assert.deepEqual(names, want)
    const manifest = JSON.parse(unpack('leakhunt', 'package.json'))
    const cores = Object.keys(manifest.optionalDependencies).filter((name) => name.startsWith('leakhunt-'))
    assert.deepEqual(cores.sort(), [...NATIVE, WASM].map((p) => `leakhunt-${p.platform}`).sort())
    // Beside them, the MCP SDK, which only `leakhunt mcp` loads.
    assert.deepEqual(Object.keys(manifest.optionalDependencies).filter((name) => !cores.includes(name)), ['@modelcontextprotocol/sdk'])
  })

  for (const p of NATIVE) {
    it(`${p.platform}: the file its platform loads, with os/cpu/libc for npm to choose it`, () => {
      const meta = JSON.parse(unpack(`leakhunt-${p.platform}`, 'package.json'))
      assert.deepEqual([meta.os, meta.cpu, meta.libc], [[p.os], [p.cpu], p.libc ? [p.libc] : undefined])
      const binary = checkBinary(unpack(`leakhunt-${p.platform}`, meta.main), p)
      assert.deepEqual(binary.problems, [], JSON.stringify(binary))
      assert.ok(binary.exportsEntry)
    })
  }

  it('wasm32-wasi: a WebAssembly module, for cpu wasm32, with napi-rs runtime dependencies', () => {
    const meta = JSON.parse(unpack(`leakhunt-${WASM.platform}`, 'package.json'))
    assert.deepEqual(meta.cpu, ['wasm32'])
    assert.deepEqual(Object.keys(meta.dependencies).sort(), ['@emnapi/core', '@emnapi/runtime', '@napi-rs/wasm-runtime'])
    assert.equal(unpack(`leakhunt-${WASM.platform}`, 'leakhunt.wasm32-wasi.wasm').readUInt32BE(0), 0x0061736d)
  })
})

describe('Linux arm64, under qemu-user with the registry Node for arm64', () => {
  let dir
  before(() => {
    dir = project(['--os=linux', '--cpu=arm64', '--libc=glibc'])
  })

  it('is what npm installs for linux/arm64/glibc: that core alone', () => {
    assert.deepEqual(installed(dir), ['leakhunt-linux-arm64-gnu'])
  })

  it('hunts a leak with the arm64 core', () => {
    const run = arm64Node(['-e', HUNT], { cwd: dir })
    assert.equal(run.status, 0, run.stderr)
    const out = JSON.parse(run.stdout)
    assert.deepEqual(out.leaks, [['Kept', 10]])
    assert.match(out.core, /leakhunt-linux-arm64-gnu[/\\]leakhunt\.linux-arm64-gnu\.node$/)
  })

  it('hunts a leak when installed by naming the tarballs (npm install --os=linux --cpu=arm64 --force)', () => {
    const named = projectByName('linux-arm64-gnu', ['--os=linux', '--cpu=arm64'])
    const run = arm64Node(['-e', HUNT], { cwd: named })
    assert.equal(run.status, 0, run.stderr)
    assert.deepEqual(JSON.parse(run.stdout).leaks, [['Kept', 10]])
  })

  it('analyzes three snapshot files with the CLI', () => {
    const set = threeSnapshots('global-ledger.js', { iterations: 10 })
    try {
      const run = arm64Node([path.join(dir, 'node_modules', 'leakhunt', 'bin', 'leakhunt.js'), 'analyze', set.baseline, set.target, set.final, '--json'], { cwd: dir })
      assert.equal(run.status, 1, run.stderr) // 1: leaks found
      const report = JSON.parse(run.stdout)
      assert.ok(report.leaks.length > 0, run.stdout)
      assert.deepEqual(report.leaks.map((g) => g.name), ['LeakyThing'])
    } finally {
      set.cleanup()
    }
  })

  it('fails a node:test leak test through leakhunt/node-test', () => {
    const file = path.join(dir, 'leaky.test.js')
    fs.writeFileSync(
      file,
      `const { testDoesNotLeak } = require('leakhunt/node-test')
class Session { constructor(i) { this.i = i } }
const sessions = []
testDoesNotLeak('keeps a Session per call', () => { sessions.push(new Session(sessions.length)) }, { iterations: 10 })
`,
    )
    // Run as a plain script (node:test runs it in-process): `--test` would start a child
    // with the arm64 binary itself, which this kernel cannot execute without qemu.
    const run = arm64Node(['--test-reporter=tap', file], { cwd: dir })
    assert.equal(run.status, 1, run.stdout + run.stderr)
    assert.match(run.stdout, /not ok 1 - keeps a Session per call/)
    assert.match(run.stdout, /Session/)
  })
})

describe('the WebAssembly fallback on this machine', () => {
  let dir
  before(() => {
    dir = project(['--cpu=wasm32'])
  })
  const node = (args, env = {}) => spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', ...env }, timeout: 300_000 })

  it('is what npm installs with --cpu=wasm32: no native core beside it', () => {
    assert.deepEqual(installed(dir), [`leakhunt-${WASM.platform}`])
  })

  for (const [how, env] of [
    ['forced with NAPI_RS_FORCE_WASI=1', { NAPI_RS_FORCE_WASI: '1' }],
    ['as the fallback where no native core is installed', {}],
  ]) {
    it(`hunts a leak, ${how}, quietly`, () => {
      const run = node(['-e', HUNT], env)
      assert.equal(run.status, 0, run.stderr)
      const out = JSON.parse(run.stdout)
      assert.deepEqual(out.leaks, [['Kept', 10]])
      assert.match(out.core, /leakhunt-wasm32-wasi[/\\]leakhunt\.wasi\.cjs$/)
      assert.equal(run.stderr, '', 'no warning of Node about WASI')
    })
  }

  it('hunts a leak when installed by naming the tarballs (npm install --cpu=wasm32 --force), forced', () => {
    const named = projectByName(WASM.platform, ['--cpu=wasm32'])
    const run = spawnSync(process.execPath, ['-e', HUNT], { cwd: named, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', NAPI_RS_FORCE_WASI: '1' }, timeout: 300_000 })
    assert.equal(run.status, 0, run.stderr)
    const out = JSON.parse(run.stdout)
    assert.deepEqual(out.leaks, [['Kept', 10]])
    assert.match(out.core, /leakhunt-wasm32-wasi[/\\]leakhunt\.wasi\.cjs$/)
  })

  it('refuses attach with ERR_LEAKHUNT_WASI_UNSUPPORTED, naming the fallback', () => {
    const run = node(['-e', "require('leakhunt').attach('127.0.0.1:9', { request: 'http://127.0.0.1:9/' }).catch((e) => console.log(JSON.stringify({ code: e.code, message: e.message })))"])
    const out = JSON.parse(run.stdout)
    assert.equal(out.code, 'ERR_LEAKHUNT_WASI_UNSUPPORTED')
    assert.match(out.message, /WebAssembly fallback \(leakhunt-wasm32-wasi: no native core for linux-x64-gnu\)/)
  })

  it('says what it tried when neither core is there', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-platform-'))
    projects.push(empty)
    fs.cpSync(path.join(dir, 'node_modules', 'leakhunt'), path.join(empty, 'node_modules', 'leakhunt'), { recursive: true })
    const bare = spawnSync(process.execPath, ['-e', "try { require('leakhunt') } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })) }"], { cwd: empty, encoding: 'utf8' })
    const out = JSON.parse(bare.stdout)
    assert.equal(out.code, 'ERR_LEAKHUNT_NO_BINARY')
    assert.match(out.message, /prebuilt core for linux-x64-gnu is not installed/)
    assert.match(out.message, /leakhunt-linux-x64-gnu: not installed; .*leakhunt-wasm32-wasi: not installed/)
  })
})

describe('Windows x64, under Wine with the registry Node for Windows', () => {
  let dir
  let prefix
  before(() => {
    dir = project(['--os=win32', '--cpu=x64'])
    prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-wine-'))
    projects.push(prefix)
  })

  it('is what npm installs for win32/x64: that core alone', () => {
    assert.deepEqual(installed(dir), ['leakhunt-win32-x64'])
  })

  it('hunts a leak with the Windows core', () => {
    const out = path.join(dir, 'out.json')
    const script = path.join(dir, 'hunt.js')
    fs.writeFileSync(script, HUNT)
    const run = windowsNode([script], { cwd: dir, prefix, env: { LEAKHUNT_OUT: out } })
    assert.equal(run.status, 0, run.stderr)
    const report = JSON.parse(fs.readFileSync(out, 'utf8'))
    assert.deepEqual(report.leaks, [['Kept', 10]])
    assert.match(report.core, /leakhunt-win32-x64[/\\]leakhunt\.win32-x64\.node$/)
  })
})
