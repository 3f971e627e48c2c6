'use strict'
// The package as users get it: `npm run pack-all -- --host` makes leakhunt's tarball and the platform
// package's, they are installed into an empty project with no Rust on PATH (no build runs at
// install), and from there a hunt, the CLI, `analyze` and every runner entry work.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { execFileSync, spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { makeProject, runIn, assertLeakReported, JEST, MOCHA, VITEST } = require('./helpers/runner-project.js')
const { threeSnapshots } = require('./helpers/snapshots.js')

const ROOT = path.join(__dirname, '..')
const { version } = require('../package.json')

// PATH without any directory that holds cargo or rustc.
const PATH_WITHOUT_RUST = process.env.PATH.split(path.delimiter)
  .filter((dir) => !['cargo', 'rustc'].some((tool) => fs.existsSync(path.join(dir, tool))))
  .join(path.delimiter)
const ENV = { ...process.env, PATH: PATH_WITHOUT_RUST, CARGO_HOME: '/nonexistent', RUSTUP_HOME: '/nonexistent' }

let dist
let tarballs
let project

before(() => {
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-dist-'))
  const printed = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'pack.js'), '--host', '--out', dist], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  tarballs = printed.trim().split('\n')
  project = makeProject((dir) => {
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "uses-leakhunt", "private": true }\n')
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], { cwd: dir, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] })
  })
})
after(() => {
  for (const dir of [dist, project]) if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

const node = (args, options = {}) => spawnSync(process.execPath, args, { cwd: project, encoding: 'utf8', env: { ...ENV, NODE_OPTIONS: '' }, ...options })

describe('the packed package', () => {
  it('is two tarballs: leakhunt with no build step and only what users need, and the platform package with the binary', () => {
    assert.deepEqual(tarballs.map((t) => path.basename(t)), [`leakhunt-linux-x64-gnu-${version}.tgz`, `leakhunt-${version}.tgz`])
    const list = (t) => execFileSync('tar', ['tzf', t], { encoding: 'utf8' }).trim().split('\n').sort()
    assert.deepEqual(list(tarballs[0]), ['package/README.md', 'package/leakhunt.linux-x64-gnu.node', 'package/package.json'])
    const files = list(tarballs[1])
    for (const wanted of ['package/index.js', 'package/index.d.ts', 'package/bin/leakhunt.js', 'package/lib/hunt.js', 'package/runners/jest.js', 'package/runners/vitest.mjs', 'package/README.md', 'package/docs/hunting.md', 'package/docs/test-suite.md']) {
      assert.ok(files.includes(wanted), wanted)
    }
    assert.deepEqual(files.filter((f) => /__test__|bench\/|fuzz\/|src\/|\.node$|Cargo|scripts\//.test(f)), [])
    const manifest = JSON.parse(execFileSync('tar', ['xzf', tarballs[1], '-O', 'package/package.json'], { encoding: 'utf8' }))
    const platforms = ['linux-x64-gnu', 'linux-arm64-gnu', 'linux-x64-musl', 'linux-arm64-musl', 'darwin-arm64', 'darwin-x64', 'win32-x64', 'wasm32-wasi']
    const { optionalDependencies: own } = require('../package.json')
    assert.deepEqual(manifest.optionalDependencies, { ...own, ...Object.fromEntries(platforms.map((p) => [`leakhunt-${p}`, version])) })
    assert.ok(own['@modelcontextprotocol/sdk'], 'the MCP SDK is optional: only `leakhunt mcp` loads it')
    assert.equal(manifest.scripts, undefined, 'nothing runs at install')
    assert.equal(manifest.devDependencies, undefined)
  })

  it('installed with no Rust on PATH, hunts with the binary of the platform package', () => {
    assert.equal(spawnSync('cargo', ['--version'], { env: ENV }).error?.code, 'ENOENT', 'cargo must not be on PATH here')
    const script = `
      const { hunt } = require('leakhunt')
      class Kept { constructor(i) { this.i = i } }
      const kept = []
      hunt(() => void kept.push(new Kept(kept.length)), { iterations: 10 }).then((report) => {
        const binary = Object.keys(require.cache).find((k) => k.endsWith('.node'))
        console.log(JSON.stringify({ leaks: report.leaks.map((g) => [g.name, g.count]), binary }))
      })`
    const result = node(['-e', script])
    assert.equal(result.status, 0, result.stderr)
    const out = JSON.parse(result.stdout)
    assert.deepEqual(out.leaks, [['Kept', 10]])
    assert.equal(out.binary, path.join(fs.realpathSync(project), 'node_modules', 'leakhunt-linux-x64-gnu', 'leakhunt.linux-x64-gnu.node'))
  })

  it('runs `npx leakhunt --help` and `leakhunt analyze` from the project', () => {
    const help = spawnSync('npx', ['--offline', 'leakhunt', '--help'], { cwd: project, encoding: 'utf8', env: ENV })
    assert.equal(help.status, 0, help.stderr)
    assert.match(help.stdout, /^Usage: leakhunt <command>/)
    const set = threeSnapshots('global-ledger.js', { iterations: 10 })
    try {
      const analyzed = node([path.join(project, 'node_modules', '.bin', 'leakhunt'), 'analyze', set.baseline, set.target, set.final, '--iterations', '10', '--json', '--quiet'])
      assert.equal(analyzed.status, 1, analyzed.stderr)
      assert.ok(JSON.parse(analyzed.stdout).leaks.length > 0)
    } finally {
      set.cleanup()
    }
  })

  it('runs every runner entry from the installed package: leakhunt/jest, /mocha, /node-test, /vitest', () => {
    const suites = [
      [[JEST, '--config', 'jest.config.js', '--runInBand', 'jest/leaky'], /Tests:\s+2 failed, 2 total/],
      [[MOCHA, 'mocha/leaky.spec.js'], /1 failing/],
      [['--test', 'node-test/leaky.test.js'], /# fail 1/],
      [[VITEST, 'run', 'vitest/leaky'], /Tests\s+1 failed \(1\)/],
    ]
    for (const [args, failed] of suites) {
      const { code, out } = runIn(project, args, { env: { PATH: PATH_WITHOUT_RUST } })
      assert.equal(code, 1, out)
      assert.match(out, failed)
      assertLeakReported(out)
      assert.doesNotMatch(out, new RegExp(ROOT.replace(/[/.]/g, '\\$&') + '/(lib|runners)/'), 'leakhunt ran from the installed package, not this checkout')
    }
    const clean = runIn(project, ['--test', 'node-test/clean.test.js'], { env: { PATH: PATH_WITHOUT_RUST } })
    assert.equal(clean.code, 0, clean.out)
  })
})

describe('a build from source without Rust', () => {
  it('says so and where to get it, with no stack trace', () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.js')], { cwd: ROOT, encoding: 'utf8', env: ENV })
    assert.equal(result.status, 1)
    assert.match(result.stderr, /^leakhunt build: Rust toolchain not found: install it from https:\/\/rustup\.rs/)
    assert.doesNotMatch(result.stderr, /\n\s+at /)
  })
})

describe('a bare npm pack', () => {
  it('is refused with a pointer to npm run pack-all', () => {
    const result = spawnSync('npm', ['pack', '--dry-run=false', '--pack-destination', os.tmpdir()], { cwd: ROOT, encoding: 'utf8', env: ENV })
    assert.notEqual(result.status, 0)
    assert.match(result.stderr, /leakhunt: pack with `npm run pack-all`/)
  })

  it('is not what `npm run pack-all` runs first: its name trips no pre-script', () => {
    const scripts = require('../package.json').scripts
    assert.ok(scripts['pack-all'], 'the pack-all script exists')
    assert.equal(scripts['prepack-all'], undefined)
    assert.equal(scripts.pack, undefined, '`npm run pack` would run the prepack refusal first')
  })
})
