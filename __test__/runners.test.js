'use strict'
// The test-runner integrations, run for real: fixture suites under runners/ are copied into a
// throwaway project (node_modules/leakhunt links to this checkout, as an installed package
// would be) and run by the real Jest, Mocha and node:test as child processes.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')

const ROOT = path.join(__dirname, '..')
const { makeProject, runIn, assertLeakReported, JEST, MOCHA, VITEST } = require('./helpers/runner-project.js')

let project
const run = (args, options) => runIn(project, args, options)

before(() => {
  // node_modules/leakhunt links to this checkout, as an installed package would be.
  project = makeProject((dir) => fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'leakhunt'), 'dir'))
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
