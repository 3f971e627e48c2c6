'use strict'
// The test-runner integrations, run for real: fixture suites under runners/ are copied into a
// throwaway project (node_modules/leakhunt links to this checkout, as an installed package
// would be) and run by the real Jest, Mocha and node:test as child processes.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const ROOT = path.join(__dirname, '..')
const FIXTURES = path.join(__dirname, 'runners')
const JEST = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js')
const MOCHA = path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js')
const VITEST = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs')

let project

function makeProject() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-runners-'))
  fs.mkdirSync(path.join(dir, 'node_modules'))
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'leakhunt'), 'dir')
  // Test files import 'vitest' from the project, as leakhunt/vitest does: one copy of it.
  fs.symlinkSync(path.join(ROOT, 'node_modules', 'vitest'), path.join(dir, 'node_modules', 'vitest'), 'dir')
  fs.copyFileSync(path.join(FIXTURES, 'app.js'), path.join(dir, 'app.js'))
  for (const [runner, suffix] of [['jest', 'test'], ['mocha', 'spec'], ['node-test', 'test'], ['vitest', 'test']]) {
    fs.mkdirSync(path.join(dir, runner))
    for (const file of fs.readdirSync(path.join(FIXTURES, runner))) {
      const named = file.replace(/\.(c?js|mjs)$/, `.${suffix}.$1`)
      fs.copyFileSync(path.join(FIXTURES, runner, file), path.join(dir, runner, named))
    }
  }
  fs.writeFileSync(
    path.join(dir, 'jest.config.js'),
    `module.exports = ${JSON.stringify({
      rootDir: dir,
      roots: ['<rootDir>/jest'],
      testEnvironment: 'node',
      setupFilesAfterEnv: ['leakhunt/jest'],
      testTimeout: 120000,
      cacheDirectory: path.join(dir, '.jest-cache'),
      moduleFileExtensions: ['js', 'mjs'],
      testMatch: ['**/*.test.js', '**/*.test.mjs'],
    })}\n`,
  )
  fs.writeFileSync(
    path.join(dir, 'vitest.config.mjs'),
    `export default ${JSON.stringify({
      test: { root: dir, include: ['vitest/**/*.test.mjs'], setupFiles: ['leakhunt/vitest'], testTimeout: 120000 },
    })}\n`,
  )
  return dir
}

function run(args, { env = {} } = {}) {
  const childEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', NODE_OPTIONS: '', ...env }
  delete childEnv.NODE_TEST_CONTEXT // else a child `node --test` thinks it runs inside ours
  const result = spawnSync(process.execPath, args, {
    cwd: project,
    encoding: 'utf8',
    env: childEnv,
    timeout: 300_000,
  })
  return { code: result.status, out: `${result.stdout}\n${result.stderr}` }
}

/** What every failing leak test must show: the class, the count per call, what holds it. */
function assertLeakReported(out) {
  assert.match(out, /AuditEntry/)
  assert.match(out, /1 per call/)
  assert.match(out, /auditTrail/, 'the retainer path names the module variable that holds the entries')
}

before(() => {
  project = makeProject()
})
after(() => {
  if (project) fs.rmSync(project, { recursive: true, force: true })
})

describe('Jest', () => {
  it('passes a suite where nothing leaks and a finished context is collected (in band)', () => {
    const { code, out } = run([JEST, '--config', 'jest.config.js', '--runInBand', 'jest/clean'])
    assert.equal(code, 0, out)
    assert.match(out, /Tests:\s+2 passed, 2 total/)
  })

  it('fails a leaking suite with the report in the matcher message, and names what holds a context', () => {
    const { code, out } = run([JEST, '--config', 'jest.config.js', '--runInBand', 'jest/leaky'])
    assert.equal(code, 1, out)
    assert.match(out, /Tests:\s+2 failed, 2 total/)
    assert.match(out, /expect\(fn\)\.not\.toLeak\(options\)/)
    assert.match(out, /Expected the function not to leak, but it does/)
    assertLeakReported(out)
    assert.match(out, /"request 2" was not garbage collected: RequestContext/)
    assert.match(out, /inFlight/, 'the path names the Map that still holds the context')
  })

  it('runs the same suites in worker processes', () => {
    const { code, out } = run([JEST, '--config', 'jest.config.js', '--maxWorkers=2', 'jest/clean', 'jest/leaky'])
    assert.equal(code, 1, out)
    assert.match(out, /Tests:\s+2 failed, 2 passed, 4 total/)
    assertLeakReported(out)
  })

  it('works from an ESM test file', () => {
    const { code, out } = run([JEST, '--config', 'jest.config.js', '--runInBand', 'jest/esm'], {
      env: { NODE_OPTIONS: '--experimental-vm-modules --no-warnings' },
    })
    assert.equal(code, 1, out)
    assert.match(out, /Tests:\s+1 failed, 1 passed, 2 total/)
    assertLeakReported(out)
  })
})

describe('Mocha', () => {
  it('passes a suite where nothing leaks', () => {
    const { code, out } = run([MOCHA, 'mocha/clean.spec.js'])
    assert.equal(code, 0, out)
    assert.match(out, /1 passing/)
  })

  it('fails a leaking suite with the report', () => {
    const { code, out } = run([MOCHA, 'mocha/leaky.spec.js'])
    assert.equal(code, 1, out)
    assert.match(out, /1 failing/)
    assert.match(out, /ERR_LEAKHUNT_LEAK|the function leaks/)
    assertLeakReported(out)
  })
})

describe('node:test', () => {
  it('passes a suite where nothing leaks', () => {
    const { code, out } = run(['--test', 'node-test/clean.test.js'])
    assert.equal(code, 0, out)
    assert.match(out, /# pass 1/)
  })

  it('fails a leaking suite with the report', () => {
    const { code, out } = run(['--test', 'node-test/leaky.test.js'])
    assert.equal(code, 1, out)
    assert.match(out, /# fail 1/)
    assertLeakReported(out)
  })
})

describe('Vitest', () => {
  it('passes a suite where nothing leaks and a finished context is collected', () => {
    const { code, out } = run([VITEST, 'run', 'vitest/clean'])
    assert.equal(code, 0, out)
    assert.match(out, /Tests\s+2 passed \(2\)/)
  })

  it('fails a leaking suite with the report in the matcher message', () => {
    const { code, out } = run([VITEST, 'run', 'vitest/leaky'])
    assert.equal(code, 1, out)
    assert.match(out, /Tests\s+1 failed \(1\)/)
    assert.match(out, /Expected the function not to leak, but it does/)
    assertLeakReported(out)
  })
})
