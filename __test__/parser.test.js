'use strict'
// Streaming input, bad input and panics: the native side must answer with errors, never a crash.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { analyzeSnapshots, readSnapshot, SnapshotParser, HeapSnapshot } = require('..')
const { threeSnapshots } = require('./helpers/snapshots.js')

describe('SnapshotParser (streaming)', () => {
  let set
  before(() => {
    set = threeSnapshots('global-ledger.js', { iterations: 10 })
  })
  after(() => set.cleanup())

  async function stream(file, { asStrings, mode }) {
    const parser = new SnapshotParser({ source: path.basename(file), mode })
    const bytes = fs.readFileSync(file)
    // Uneven chunk sizes, split anywhere (inside numbers, strings and escapes).
    let offset = 0
    let k = 0
    while (offset < bytes.length) {
      const size = [1, 7, 4096, 65536, 99991][k++ % 5]
      const chunk = bytes.subarray(offset, offset + size)
      parser.write(asStrings ? chunk.toString('latin1') : chunk)
      offset += size
    }
    assert.equal(parser.bytesRead, bytes.length)
    return parser.end()
  }

  it('gives the same snapshot from chunks as from the file', async () => {
    const fromFile = await readSnapshot(set.final)
    const fromBytes = await stream(set.final, { asStrings: false })
    // The snapshot text is ASCII (V8 escapes the rest), so latin1 strings carry it exactly.
    const fromStrings = await stream(set.final, { asStrings: true })
    assert.ok(fromBytes instanceof HeapSnapshot)
    for (const s of [fromBytes, fromStrings]) {
      assert.equal(s.nodeCount, fromFile.nodeCount)
      assert.equal(s.edgeCount, fromFile.edgeCount)
    }
    assert.deepEqual((await fromBytes.summary(5)).topByRetainedSize, (await fromFile.summary(5)).topByRetainedSize)
  })

  it('analyses streamed handles (ids-only baseline and target) like files', async () => {
    const baseline = await stream(set.baseline, { mode: 'ids' })
    const target = await stream(set.target, { mode: 'ids' })
    const final = await stream(set.final, {})
    assert.equal(baseline.mode, 'ids')
    const fromHandles = await analyzeSnapshots(baseline, target, final)
    const fromFiles = await analyzeSnapshots(set.baseline, set.target, set.final)
    assert.deepEqual(
      fromHandles.leaks.map((g) => [g.name, g.count, g.retainedSize]),
      fromFiles.leaks.map((g) => [g.name, g.count, g.retainedSize]),
    )
    // Mixed paths and handles work too.
    const mixed = await analyzeSnapshots(set.baseline, target, final)
    assert.equal(mixed.leaks.length, fromFiles.leaks.length)
    await assert.rejects(analyzeSnapshots(baseline, target, baseline), { code: 'ERR_LEAKHUNT_USAGE' })
    await assert.rejects(baseline.summary(), { code: 'ERR_LEAKHUNT_USAGE' })
  })

  it('refuses input after end() and after an error', async () => {
    const parser = new SnapshotParser()
    assert.throws(() => parser.write('[1,2]'), { code: 'ERR_LEAKHUNT_SNAPSHOT_SYNTAX' })
    assert.throws(() => parser.write('{'), { code: 'ERR_LEAKHUNT_USAGE' })
    const done = new SnapshotParser()
    done.write('{}')
    await assert.rejects(done.end(), { code: 'ERR_LEAKHUNT_SNAPSHOT_LAYOUT' })
    assert.throws(() => done.write('{'), { code: 'ERR_LEAKHUNT_USAGE' })
    assert.throws(() => done.write(42), { code: 'ERR_INVALID_ARG_TYPE' })
  })
})

describe('a large file, parsed by two threads', () => {
  // Files of 16 MB or more are read by two parsers at once (edges, and the rest); streaming
  // stays on one thread, so the two must agree, on success and on failure alike.
  let dir
  let file
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-test-'))
    file = path.join(dir, 'large.heapsnapshot')
    const { execFileSync } = require('node:child_process')
    execFileSync(process.execPath, ['-e', `
      globalThis.rows = Array.from({ length: 150000 }, (_, i) => ({ i, tag: i % 9 ? null : 't' + i, next: null }))
      for (let i = 1; i < rows.length; i++) rows[i - 1].next = rows[i]
      require('node:v8').writeHeapSnapshot(${JSON.stringify(file)})
    `])
  })
  after(() => fs.rmSync(dir, { recursive: true, force: true }))

  async function streamed(bytes) {
    const parser = new SnapshotParser({ source: 'large.heapsnapshot' })
    for (let offset = 0; offset < bytes.length; offset += 1 << 20) parser.write(bytes.subarray(offset, offset + (1 << 20)))
    return parser.end()
  }

  it('gives what one thread gives', async () => {
    assert.ok(fs.statSync(file).size >= 16 << 20, 'large enough to be split')
    const split = await readSnapshot(file)
    const one = await streamed(fs.readFileSync(file))
    assert.equal(split.nodeCount, one.nodeCount)
    assert.equal(split.edgeCount, one.edgeCount)
    // Retained sizes depend on every edge, paths on their names.
    assert.deepEqual(await split.summary(10), await one.summary(10))
    assert.deepEqual(await split.locate(['rows', '0', 'next']), await one.locate(['rows', '0', 'next']))
  })

  it('fails as one thread fails', async () => {
    const bytes = fs.readFileSync(file)
    const text = bytes.toString('latin1')
    const cuts = [text.indexOf('"edges":[') + 5000, text.indexOf('"strings":[') + 100]
    for (const cut of cuts) {
      const bad = path.join(dir, 'cut.heapsnapshot')
      fs.writeFileSync(bad, bytes.subarray(0, cut))
      const fromFile = await readSnapshot(bad).then(() => null, (e) => e)
      const fromStream = await streamed(bytes.subarray(0, cut)).then(() => null, (e) => e)
      assert.equal(fromFile.code, 'ERR_LEAKHUNT_SNAPSHOT_TRUNCATED')
      assert.equal(fromFile.code, fromStream.code)
      assert.equal(fromFile.message.replace(bad, 'large.heapsnapshot'), fromStream.message)
    }
  })
})

describe('bad input', () => {
  let dir
  let good
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-bad-'))
    good = threeSnapshots('global-ledger.js', { iterations: 2 })
  })
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true })
    good.cleanup()
  })
  const write = (name, content) => {
    const file = path.join(dir, name)
    fs.writeFileSync(file, content)
    return file
  }

  it('rejects a truncated file with the file name and the byte offset', async () => {
    const text = fs.readFileSync(good.final)
    const cut = Math.floor(text.length * 0.6)
    const file = write('cut.heapsnapshot', text.subarray(0, cut))
    await assert.rejects(readSnapshot(file), (err) => {
      assert.equal(err.code, 'ERR_LEAKHUNT_SNAPSHOT_TRUNCATED')
      assert.ok(err instanceof Error)
      assert.match(err.message, new RegExp(`cut\\.heapsnapshot at byte ${cut}`))
      return true
    })
    await assert.rejects(analyzeSnapshots(good.baseline, good.target, file), { code: 'ERR_LEAKHUNT_SNAPSHOT_TRUNCATED' })
  })

  it('rejects files that are not heap snapshots', async () => {
    await assert.rejects(readSnapshot(write('empty.heapsnapshot', '')), { code: 'ERR_LEAKHUNT_SNAPSHOT_TRUNCATED' })
    await assert.rejects(readSnapshot(write('array.json', '[1,2,3]')), (err) => {
      assert.equal(err.code, 'ERR_LEAKHUNT_SNAPSHOT_SYNTAX')
      assert.match(err.message, /array\.json at byte 0/)
      return true
    })
    await assert.rejects(readSnapshot(write('other.json', '{"hello": "world"}')), { code: 'ERR_LEAKHUNT_SNAPSHOT_LAYOUT' })
    await assert.rejects(readSnapshot(path.join(dir, 'missing.heapsnapshot')), { code: 'ERR_LEAKHUNT_IO' })
  })

  it('rejects wrong arguments with TypeErrors', async () => {
    await assert.rejects(readSnapshot(42), { code: 'ERR_INVALID_ARG_TYPE', name: 'TypeError' })
    await assert.rejects(analyzeSnapshots('a', {}, 'c'), { code: 'ERR_INVALID_ARG_TYPE' })
    await assert.rejects(analyzeSnapshots('a', 'b', 'c', { iterations: -1 }), { code: 'ERR_OUT_OF_RANGE' })
    await assert.rejects(analyzeSnapshots('a', 'b', 'c', { iteration: 1 }), { code: 'ERR_INVALID_ARG_VALUE' })
    await assert.rejects(readSnapshot('a', { mdoe: 'ids' }), { code: 'ERR_INVALID_ARG_VALUE', message: /did you mean "mode"/ })
  })

  it('turns a Rust panic into an error, in a call and in a thread-pool task', async () => {
    const binding = require('../lib/binding.js')
    assert.throws(() => binding.__panicForTest(false), /ERR_LEAKHUNT_INTERNAL.*deliberate test panic \(sync\)/)
    await assert.rejects(binding.__panicForTest(true), /ERR_LEAKHUNT_INTERNAL.*deliberate test panic \(thread pool\)/)
    // Still alive and working.
    assert.ok((await readSnapshot(good.final)).nodeCount > 0)
  })
})
