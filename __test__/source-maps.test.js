'use strict'
// Positions in the user's own source: a TypeScript module compiled by the real tsc and bundled
// by the real esbuild, hunted in-process (with and without --enable-source-maps) on Node 20, 22
// and 24, analysed offline with its maps on disk, and with broken and hostile maps. The Jest
// case (babel-jest's inline maps) is asserted on every runner's leak report (runners.test.js).
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { execFile, execFileSync, spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { analyzeSnapshots } = require('..')
const { otherNodes } = require('./helpers/snapshots.js')

const ROOT = path.join(__dirname, '..')
const FIXTURES = path.join(__dirname, 'fixtures')
const SOURCE = path.join(FIXTURES, 'source-maps', 'orders.ts')
const HUNT = path.join(FIXTURES, 'source-maps', 'hunt-orders.js')

/** Where V8 places the leaking class and closure, and the allocating function, in orders.ts. */
const EXPECTED = (() => {
  const lines = fs.readFileSync(SOURCE, 'utf8').split('\n')
  const find = (prefix, token) => {
    const k = lines.findIndex((l) => l.trimStart().startsWith(prefix))
    assert.ok(k >= 0, prefix)
    return { line: k + 1, column: lines[k].indexOf(token) + 1 }
  }
  return {
    Order: find('constructor(', 'constructor'),
    closure: find('onShipped.push(', '() =>'),
    placeOrder: find('export function placeOrder(', '('),
  }
})()

let tmp
let tsc // directory of tsc's output: orders.js and orders.js.map
let bundle // esbuild's bundle.js and bundle.js.map

/** A fresh copy of tsc's output (some tests delete or break the map). */
function tscCopy(name) {
  const dir = path.join(tmp, name)
  fs.cpSync(tsc, dir, { recursive: true })
  // The copy's map must still find orders.ts: tsc wrote its path relative to the first copy.
  const map = JSON.parse(fs.readFileSync(path.join(dir, 'orders.js.map'), 'utf8'))
  map.sources = [path.relative(dir, SOURCE)]
  fs.writeFileSync(path.join(dir, 'orders.js.map'), JSON.stringify(map))
  return path.join(dir, 'orders.js')
}

function huntOrders(compiled, { node = process.execPath, flags = [], options = {} } = {}) {
  return new Promise((resolve, reject) => {
    execFile(node, [...flags, HUNT, compiled, JSON.stringify(options)], { timeout: 120_000, killSignal: 'SIGKILL', maxBuffer: 64 << 20, env: { ...process.env, NODE_OPTIONS: '' } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`))
      else resolve(JSON.parse(stdout))
    })
  })
}

const leadOf = (result, name) => {
  const point = result.leaks.find((p) => p.name === name)
  assert.ok(point, `${result.version}: a leak of ${name} in ${JSON.stringify(result.leaks.map((p) => p.name))}`)
  return point
}

/** The class and the closure are placed in orders.ts, the code V8 ran kept as `generated`. */
function assertInSource(result, generatedFile) {
  const order = leadOf(result, 'Order').location
  const closure = leadOf(result, '(anonymous function)').location
  for (const [at, want] of [
    [order, EXPECTED.Order],
    [closure, EXPECTED.closure],
  ]) {
    assert.equal(at.scriptName, SOURCE, `${result.version}: ${JSON.stringify(at)}`)
    assert.deepEqual({ line: at.line, column: at.column }, want, `${result.version}: ${JSON.stringify(at)}`)
    assert.equal(at.generated.scriptName, generatedFile)
    assert.ok(at.generated.line !== at.line || at.generated.column !== at.column, 'tsc moved it')
  }
  assert.deepEqual(result.sourceMaps, { mapped: 2, maps: 1, notes: [] })
  const position = `orders.ts:${EXPECTED.Order.line}:${EXPECTED.Order.column} (generated ${generatedFile}:${order.generated.line}:${order.generated.column})`
  assert.ok(result.text.includes(`placed gains 1 Order per call, class at ${path.dirname(SOURCE)}/${position}`), result.text)
}

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-source-maps-'))
  tsc = path.join(tmp, 'tsc')
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--sourceMap', '--strict', '--target', 'es2020', '--module', 'commonjs', '--outDir', tsc, SOURCE])
  bundle = path.join(tmp, 'esbuild', 'bundle.js')
  require('esbuild').buildSync({ entryPoints: [SOURCE], bundle: true, platform: 'node', format: 'cjs', sourcemap: true, outfile: bundle, logLevel: 'silent' })
})
after(() => fs.rmSync(tmp, { recursive: true, force: true }))

describe('a TypeScript module compiled by tsc --sourceMap, hunted in-process', () => {
  const nodes = () => ({ [process.versions.node.split('.')[0]]: process.execPath, ...otherNodes() })

  for (const major of ['20', '22', '24']) {
    it(`Node ${major}: the leaking class and closure at their lines in orders.ts, through the map beside orders.js`, async () => {
      const node = nodes()[major]
      assert.ok(node, `Node ${major} to run on`)
      const compiled = tscCopy(`plain-${major}`)
      assertInSource(await huntOrders(compiled, { node }), compiled)
    })

    it(`Node ${major}: with --enable-source-maps, through Node's own cache (the map file is gone once loaded)`, async () => {
      const node = nodes()[major]
      const compiled = tscCopy(`node-cache-${major}`)
      assertInSource(await huntOrders(compiled, { node, flags: ['--enable-source-maps'], options: { removeMap: true } }), compiled)
    })
  }

  it('without a map to be found: the positions V8 ran, and a note that names the missing map', async () => {
    const compiled = tscCopy('no-map')
    const result = await huntOrders(compiled, { options: { removeMap: true } })
    const order = leadOf(result, 'Order').location
    assert.equal(order.scriptName, compiled)
    assert.equal(order.generated, undefined)
    assert.equal(result.sourceMaps.mapped, 0)
    assert.equal(result.sourceMaps.notes.length, 1)
    assert.match(result.sourceMaps.notes[0], /orders\.js\.map: ENOENT/)
    assert.match(result.text, /source map ignored: .*orders\.js\.map: ENOENT/)
  })

  it('sourceMaps: false leaves the positions as V8 ran them', async () => {
    const compiled = tscCopy('off')
    const result = await huntOrders(compiled, { options: { sourceMaps: false } })
    const order = leadOf(result, 'Order').location
    assert.equal(order.scriptName, compiled)
    assert.equal(order.generated, undefined)
    assert.equal(result.sourceMaps, undefined)
  })

  it('allocation stacks (trackAllocations) are mapped frame by frame', async () => {
    const compiled = tscCopy('stacks')
    const result = await huntOrders(compiled, { options: { trackAllocations: true } })
    const frames = leadOf(result, 'Order').stacks.flatMap((s) => s.frames)
    const placeOrder = frames.find((f) => f.functionName === 'placeOrder')
    assert.ok(placeOrder, JSON.stringify(frames))
    assert.deepEqual([placeOrder.scriptName, placeOrder.line, placeOrder.column], [SOURCE, EXPECTED.placeOrder.line, EXPECTED.placeOrder.column])
    assert.equal(placeOrder.generated.scriptName, compiled)
    const constructor = frames.find((f) => f.functionName === 'Order')
    assert.deepEqual([constructor.scriptName, constructor.line], [SOURCE, EXPECTED.Order.line])
    assert.match(result.text, new RegExp(`allocated at placeOrder \\(\\S*orders\\.ts:${EXPECTED.placeOrder.line}:${EXPECTED.placeOrder.column}; generated \\S*orders\\.js:\\d+:\\d+\\)`))
  })
})

describe('an esbuild bundle with an external map', () => {
  it('places the class and closure in orders.ts, not in bundle.js', async () => {
    assertInSource(await huntOrders(bundle), bundle)
  })
})

describe('offline: analyze with the maps on disk', () => {
  let dir
  let compiled
  before(() => {
    dir = path.join(tmp, 'offline')
    compiled = tscCopy('offline-module')
    fs.mkdirSync(dir)
    const scenario = path.join(dir, 'scenario.js')
    fs.writeFileSync(scenario, `const { placeOrder } = require(${JSON.stringify(compiled)})\nexports.action = (i) => placeOrder(i)\n`)
    execFileSync(process.execPath, ['--expose-gc', path.join(FIXTURES, 'three-snapshots.js'), scenario, dir, '10'], { stdio: ['ignore', 'ignore', 'inherit'] })
  })
  const files = () => ['baseline', 'target', 'final'].map((n) => path.join(dir, `${n}.heapsnapshot`))
  const mapFile = () => `${compiled}.map`

  it('maps through the .map file that orders.js names', async () => {
    const report = await analyzeSnapshots(...files(), { iterations: 10 })
    const order = report.leaks.find((p) => p.name === 'Order').location
    assert.deepEqual([order.scriptName, order.line, order.column], [SOURCE, EXPECTED.Order.line, EXPECTED.Order.column])
    assert.equal(order.generated.scriptName, compiled)
    assert.deepEqual(report.summary.sourceMaps, { mapped: 2, maps: 1, notes: [] })
  })

  it('the CLI shows both positions, and --no-source-maps the generated one alone', () => {
    const cli = (...extra) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'leakhunt.js'), 'analyze', ...files(), '--iterations', '10', ...extra], { encoding: 'utf8' })
    const mapped = cli()
    assert.equal(mapped.status, 1, mapped.stderr)
    assert.match(mapped.stdout, new RegExp(`class at \\S*orders\\.ts:${EXPECTED.Order.line}:${EXPECTED.Order.column} \\(generated \\S*orders\\.js:\\d+:\\d+\\)`))
    assert.match(mapped.stdout, /positions in your source: 2 positions mapped through 1 source map/)
    const plain = cli('--no-source-maps')
    assert.equal(plain.status, 1, plain.stderr)
    assert.match(plain.stdout, /class at \S*orders\.js:\d+:\d+: /)
    assert.doesNotMatch(plain.stdout, /orders\.ts|generated/)
  })

  // Each is ignored with a note that says why; the analysis keeps V8's positions and never throws.
  const hostile = [
    ['not JSON', 'this is not a map {', /not valid JSON|Unexpected token/],
    ['JSON, not an object', '[1, 2, 3]', /not a source map/],
    ['another version', JSON.stringify({ version: 2, sources: ['a.ts'], mappings: 'AAAA' }), /not a version 3 source map/],
    ['mappings that are not a string', JSON.stringify({ version: 3, sources: ['a.ts'], mappings: 12 }), /mappings are not a string/],
    ['sources that are not strings', JSON.stringify({ version: 3, sources: [{ evil: true }], mappings: 'AAAA' }), /sources are not a list of strings/],
    ['sections without maps', JSON.stringify({ version: 3, sections: [{ offset: { line: 0, column: 0 } }] }), /not a source map/],
    ['a file too large to be a map', null, /larger than 64 MB/],
  ]
  for (const [what, content, note] of hostile) {
    it(`a map of ${what} is ignored with a note`, async () => {
      if (content === null) fs.truncateSync(mapFile(), 65 * 1024 * 1024)
      else fs.writeFileSync(mapFile(), content)
      try {
        const report = await analyzeSnapshots(...files(), { iterations: 10 })
        const order = report.leaks.find((p) => p.name === 'Order').location
        assert.equal(order.scriptName, compiled)
        assert.equal(order.generated, undefined)
        assert.equal(report.summary.sourceMaps.mapped, 0)
        assert.equal(report.summary.sourceMaps.notes.length, 1, JSON.stringify(report.summary.sourceMaps))
        assert.match(report.summary.sourceMaps.notes[0], note)
        assert.ok(report.summary.sourceMaps.notes[0].startsWith(mapFile()), report.summary.sourceMaps.notes[0])
      } finally {
        fs.copyFileSync(path.join(tsc, 'orders.js.map'), mapFile())
      }
    })
  }

  it('garbage mappings map nothing, and a script that names a map on the network is never fetched', async () => {
    fs.writeFileSync(mapFile(), JSON.stringify({ version: 3, sources: ['a.ts'], names: [], mappings: '!!!!;;@@@,,,' }))
    const source = fs.readFileSync(compiled, 'utf8')
    try {
      const garbage = await analyzeSnapshots(...files(), { iterations: 10 })
      assert.equal(garbage.leaks.find((p) => p.name === 'Order').location.scriptName, compiled)
      assert.equal(garbage.summary.sourceMaps.mapped, 0)
      fs.writeFileSync(compiled, source.replace(/sourceMappingURL=.*$/m, 'sourceMappingURL=http://127.0.0.1:9/orders.js.map'))
      const remote = await analyzeSnapshots(...files(), { iterations: 10 })
      assert.equal(remote.summary.sourceMaps.mapped, 0)
      assert.deepEqual(remote.summary.sourceMaps.notes, ['http://127.0.0.1:9/orders.js.map: not a file or data: URL, not fetched'])
    } finally {
      fs.writeFileSync(compiled, source)
      fs.copyFileSync(path.join(tsc, 'orders.js.map'), mapFile())
    }
  })

  it('an inline data: map in the file on disk is read too', async () => {
    const source = fs.readFileSync(compiled, 'utf8')
    const map = fs.readFileSync(mapFile())
    try {
      fs.rmSync(mapFile())
      fs.writeFileSync(compiled, source.replace(/sourceMappingURL=.*$/m, `sourceMappingURL=data:application/json;charset=utf-8;base64,${map.toString('base64')}`))
      const report = await analyzeSnapshots(...files(), { iterations: 10 })
      const closure = report.leaks.find((p) => p.kind === 'closure').location
      assert.deepEqual([closure.scriptName, closure.line, closure.column], [SOURCE, EXPECTED.closure.line, EXPECTED.closure.column])
    } finally {
      fs.writeFileSync(compiled, source)
      fs.writeFileSync(mapFile(), map)
    }
  })
})
