'use strict'
// The WebAssembly fallback against the native core on the scenario corpus: every scenario hunted
// in-process with NAPI_RS_FORCE_WASI=1 is judged as the native corpus judges it, and the
// snapshots of a native hunt, analysed again by each core, give the same report and the same
// text, byte for byte. Needs the checkout's WASI build (npm run pack-all, or
// node scripts/build-all.js wasm32-wasi).
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { huntInChild } = require('../helpers/hunt-in-child.js')
const { checkScenario } = require('../helpers/scenario-check.js')

const ROOT = path.join(__dirname, '..', '..')
const SCENARIOS = path.join(ROOT, '__test__', 'scenarios')
const files = fs.readdirSync(SCENARIOS).filter((f) => f.endsWith('.js')).sort()
const WASI = { NAPI_RS_FORCE_WASI: '1' }

before(() => {
  const wasm = path.join(ROOT, 'npm', 'wasm32-wasi', 'leakhunt.wasm32-wasi.wasm')
  if (!fs.existsSync(wasm)) throw new Error(`${wasm} is missing: run npm run pack-all (or node scripts/build-all.js wasm32-wasi) first`)
})

describe('the scenario corpus, hunted with the WebAssembly core', { concurrency: 2 }, () => {
  for (const file of files) {
    const scenario = require(path.join(SCENARIOS, file))
    it(`${scenario.kind}: ${file}`, async () => {
      checkScenario(await huntInChild(path.join(SCENARIOS, file), process.execPath, WASI), scenario)
    })
  }
})

describe('the same snapshots analysed by each core', { concurrency: 2 }, () => {
  const kept = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-wasm-corpus-'))
  after(() => fs.rmSync(kept, { recursive: true, force: true }))
  const analyze = (set, env) => {
    const args = [path.join(ROOT, '__test__', 'helpers', 'analyze-in-child.js'), ...set]
    return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NAPI_RS_FORCE_WASI: '', ...env }, maxBuffer: 64 << 20 }))
  }

  for (const file of files) {
    it(`gives the same report and text: ${file}`, async () => {
      const dir = path.join(kept, path.basename(file, '.js'))
      await huntInChild(path.join(SCENARIOS, file), process.execPath, { LEAKHUNT_KEEP_SNAPSHOTS: dir })
      const snapshot = (name) => fs.readdirSync(dir).find((f) => f.endsWith(`-${name}.heapsnapshot`))
      const set = ['baseline', 'target', 'final', 'confirm'].map(snapshot).filter(Boolean).map((f) => path.join(dir, f))
      assert.ok(set.length >= 3, `the hunt kept ${set.length} snapshots`)
      const native = analyze(set, {})
      const wasm = analyze(set, WASI)
      assert.deepEqual([native.core, wasm.core], ['native', 'wasm'])
      assert.equal(JSON.stringify(wasm.report), JSON.stringify(native.report))
      assert.equal(wasm.text, native.text)
      fs.rmSync(dir, { recursive: true, force: true })
    })
  }
})
