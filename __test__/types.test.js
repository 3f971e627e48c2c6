'use strict'
// The hand-written index.d.ts must compile and describe real use (TypeScript from devDependencies).
const { it } = require('node:test')
const assert = require('node:assert/strict')
const { execFileSync } = require('node:child_process')
const path = require('node:path')

it('index.d.ts type-checks a realistic use under --strict', () => {
  const tsc = require.resolve('typescript/bin/tsc')
  const out = (() => {
    try {
      return execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'commonjs', '--types', 'node', path.join(__dirname, 'types-check.ts')], {
        encoding: 'utf8',
        cwd: path.join(__dirname, '..'),
      })
    } catch (err) {
      return err.stdout + err.stderr
    }
  })()
  assert.equal(out.trim(), '')
})
