'use strict'
// A throwaway project holding the runner fixtures (__test__/runners) as a user's test files,
// with leakhunt installed by the caller (a link to this checkout, or the packed tarballs),
// and the real Jest, Mocha, Vitest and node:test to run them as child processes.
const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const ROOT = path.join(__dirname, '..', '..')
const FIXTURES = path.join(__dirname, '..', 'runners')
const JEST = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js')
const MOCHA = path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js')
const VITEST = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs')

/** Makes the project; `install(dir)` puts leakhunt into dir/node_modules. */
function makeProject(install) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-runners-'))
  fs.mkdirSync(path.join(dir, 'node_modules'))
  install(dir)
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

/** Runs `node args…` in the project; the exit code and all of its output. */
function runIn(project, args, { env = {} } = {}) {
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
  assert.match(out, /auditTrail gains 1 AuditEntry per call/)
  assert.match(out, /auditTrail/, 'the retainer path names the module variable that holds the entries')
  // Where the class is, in the file the user wrote: Jest runs app.js as babel-jest rewrote it
  // (three lines further down), and the transformed code's inline source map leads back.
  const { line, column } = AUDIT_ENTRY_CONSTRUCTOR
  assert.match(out, new RegExp(`AuditEntry per call, class at \\S*app\\.js:${line}:${column}[ :]`), 'the class at its line in app.js')
}

/** Where V8 places class AuditEntry in __test__/runners/app.js: its constructor's parameters. */
const AUDIT_ENTRY_CONSTRUCTOR = (() => {
  const lines = fs.readFileSync(path.join(FIXTURES, 'app.js'), 'utf8').split('\n')
  const at = lines.findIndex((l) => l.startsWith('class AuditEntry')) + 1
  return { line: at + 1, column: lines[at].indexOf('(') + 1 }
})()

module.exports = { makeProject, runIn, assertLeakReported, JEST, MOCHA, VITEST }
