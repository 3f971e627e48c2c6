'use strict'
// Which finished test files stay alive: real Jest suites of ten files and more, written by the
// tests into a throwaway project, run by `leakhunt jest` and by plain Jest with leakhunt's
// environment and reporter. Each leaky suite is a real package at a version that keeps every
// file (or a use that does), beside the fixed version or the correct use, which must stay
// quiet; and ordinary suites that keep nothing.
const { describe, it, after } = require('node:test')
const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { declaredInterfaces, check } = require('./helpers/declared.js')
const { otherNodes } = require('./helpers/snapshots.js')
const { needsChromium, renderPage } = require('./helpers/chromium.js')

const ROOT = path.join(__dirname, '..')
const CLI = path.join(ROOT, 'bin', 'leakhunt.js')
const FILES = 10

/** The Jest releases the suites run on: each package as the project installs it. */
const JESTS = {
  30: { jest: path.join(ROOT, 'node_modules', 'jest'), environment: path.join(ROOT, 'node_modules', 'jest-environment-node'), jsdom: path.join(ROOT, 'node_modules', 'jest-environment-jsdom') },
  29: { jest: path.join(ROOT, 'node_modules', 'jest-29'), environment: path.join(ROOT, 'node_modules', 'jest-29', 'node_modules', 'jest-environment-node'), jsdom: path.join(ROOT, 'node_modules', 'jest-environment-jsdom-29') },
}

/** A project whose node_modules links Jest, leakhunt and the packages a suite uses. */
function makeProject(name, files, { packages = [], jestConfig = {}, jest = 30, ext = 'js' } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `leakhunt-suite-${name}-`))
  fs.mkdirSync(path.join(dir, 'node_modules'))
  fs.symlinkSync(JESTS[jest].jest, path.join(dir, 'node_modules', 'jest'), 'dir')
  fs.symlinkSync(JESTS[jest].environment, path.join(dir, 'node_modules', 'jest-environment-node'), 'dir')
  fs.symlinkSync(JESTS[jest].jsdom, path.join(dir, 'node_modules', 'jest-environment-jsdom'), 'dir')
  for (const p of packages) {
    fs.symlinkSync(path.join(ROOT, 'node_modules', p), path.join(dir, 'node_modules', p), 'dir')
  }
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'leakhunt'), 'dir')
  fs.mkdirSync(path.join(dir, 'tests'))
  for (let i = 0; i < files.length; i++) fs.writeFileSync(path.join(dir, 'tests', `file${String(i + 1).padStart(2, '0')}.test.${ext}`), files[i])
  const config = { rootDir: dir, roots: ['<rootDir>/tests'], cacheDirectory: path.join(dir, '.jest-cache'), testTimeout: 60000, ...jestConfig }
  fs.writeFileSync(path.join(dir, 'jest.config.js'), `module.exports = ${JSON.stringify(config)}\n`)
  return dir
}

/** The project's own jest binary. */
const jestBin = (dir) => path.join(dir, 'node_modules', 'jest', 'bin', 'jest.js')

function run(dir, args, { nodeOptions = '', node = process.execPath, extraEnv = {} } = {}) {
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', NODE_OPTIONS: nodeOptions, ...extraEnv }
  delete env.NODE_TEST_CONTEXT
  delete env.LEAKHUNT_JEST_ENVIRONMENT
  const r = spawnSync(node, args, { cwd: dir, encoding: 'utf8', env, timeout: 240_000 })
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` }
}

/** `leakhunt jest` in the project; its exit code, output and JSON report. */
function leakhuntJest(dir, jestArgs = [], options = {}) {
  const json = path.join(dir, 'report.json')
  const { code, out } = run(dir, [CLI, 'jest', '--json', json, '--', '--config', 'jest.config.js', ...jestArgs], options)
  const report = fs.existsSync(json) ? JSON.parse(fs.readFileSync(json, 'utf8')) : null
  return { code, out, report }
}

/** `leakhunt jest` on a leaky suite: exit 1, at least 80 % of the files kept, one entry; that entry. */
function keptAsOneEntry(dir) {
  const { code, out, report } = leakhuntJest(dir)
  assert.equal(code, 1, out)
  assert.ok(report.kept.length >= 0.8 * FILES, out)
  assert.equal(report.groups.length, 1, out)
  return { group: report.groups[0], out }
}

/** `leakhunt jest` on a suite that keeps nothing: exit 0, no file kept. */
function keptNone(dir) {
  const { code, out, report } = leakhuntJest(dir)
  assert.equal(code, 0, out)
  assert.deepEqual(report.kept, [], out)
}

const times = (n, make) => Array.from({ length: n }, (_, i) => make(i + 1))

// graceful-fs before 4.2 replaced fs.ReadStream/WriteStream (and their File* names) and
// fs.close with its own, once per copy of the module: under Jest every test file loads its own
// copy, and each copy's classes extend the previous one's (jestjs/jest#6738 and the threads
// it links; graceful-fs 4.2 patches fs once per process, keyed by a global symbol).
const gracefulFile = (version) => (i) => `const gfs = require('graceful-fs-${version}')
const fixtures = Array.from({ length: 5000 }, (_, k) => ({ id: k, name: 'row ' + k }))
test('reads a file through graceful-fs (${i})', (done) => {
  gfs.readFile(__filename, 'utf8', (err, text) => {
    expect(err).toBeNull()
    expect(text).toContain('graceful-fs')
    expect(fixtures).toHaveLength(5000)
    done()
  })
})
`

// node-cache starts a check timer per cache (its checkperiod), which close() stops; a cache
// made at a test file's top level and never closed keeps the file (the package's README:
// "close() … clears the interval timeout").
const nodeCacheFile = (closed) => (i) => `const NodeCache = require('node-cache-5.1.2')
const cache = new NodeCache({ stdTTL: 100, checkperiod: 120 })
${closed ? 'afterAll(() => cache.close())\n' : ''}test('caches a value (${i})', () => {
  cache.set('k${i}', { n: ${i} })
  expect(cache.get('k${i}')).toEqual({ n: ${i} })
})
`

// Ordinary tests that keep nothing: pure functions, fs, a server opened and closed, a listener
// on the file's own process, fake timers.
const ordinaryFiles = [
  ...times(3, (i) => `const add = (a, b) => a + b
test('adds (${i})', () => { expect(add(${i}, 1)).toBe(${i + 1}) })
`),
  ...times(3, (i) => `const fs = require('node:fs')
test('reads itself (${i})', async () => {
  const text = await fs.promises.readFile(__filename, 'utf8')
  expect(text).toContain('reads itself')
})
`),
  ...times(2, (i) => `const http = require('node:http')
let server
beforeAll((done) => {
  server = http.createServer((req, res) => res.end('ok ${i}'))
  server.listen(0, '127.0.0.1', done)
})
afterAll((done) => {
  server.close(done)
})
test('answers (${i})', async () => {
  const res = await fetch('http://127.0.0.1:' + server.address().port + '/')
  expect(await res.text()).toBe('ok ${i}')
})
`),
  // A listener on the file's own process object (Jest gives each file its own): never kept.
  ...times(1, (i) => `const seen = []
process.on('SIGUSR2', () => seen.push(${i}))
test('listens for a signal (${i})', () => { expect(process.listenerCount('SIGUSR2')).toBeGreaterThan(0) })
`),
  ...times(2, (i) => `jest.useFakeTimers()
test('debounces (${i})', () => {
  const calls = []
  setTimeout(() => calls.push(${i}), 1000)
  jest.advanceTimersByTime(1000)
  expect(calls).toEqual([${i}])
})
`),
]

// Components tested in jsdom: DOM built and torn down, listeners on the component's own
// elements and on window and document, an interval left running (jsdom clears a window's
// timers when its environment is torn down), a MutationObserver, fetch-free. Each file's
// window goes with it.
const jsdomFiles = times(FILES, (i) => `function Counter(root) {
  const button = document.createElement('button')
  let count = 0
  button.textContent = 'count: 0'
  button.addEventListener('click', () => {
    count++
    button.textContent = 'count: ' + count
  })
  const onResize = () => root.setAttribute('data-width', String(window.innerWidth))
  window.addEventListener('resize', onResize)
  document.addEventListener('keydown', (e) => e.key === '+' && button.click())
  const ticker = setInterval(() => root.setAttribute('data-tick', String(Date.now())), 1000)
  const seen = []
  new MutationObserver((records) => seen.push(records.length)).observe(root, { childList: true, subtree: true })
  root.appendChild(button)
  return { button, seen, ticker }
}
const rows = Array.from({ length: 2000 }, (_, k) => ({ id: k, label: 'row ' + k }))
test('counts clicks and keys (${i})', async () => {
  document.body.innerHTML = '<main id="app"></main>'
  const counter = Counter(document.getElementById('app'))
  counter.button.click()
  document.dispatchEvent(new KeyboardEvent('keydown', { key: '+' }))
  await Promise.resolve()
  expect(counter.button.textContent).toBe('count: 2')
  expect(rows).toHaveLength(2000)
})
`)

// agent-base 4 replaced https.request (once per process, marked) and https.get (at every
// load) with its own functions from patch-core.js; agent-base 5 dropped patch-core.
const agentBaseFile = (version) => (i) => `require('agent-base-${version}')
const fixtures = Array.from({ length: 5000 }, (_, k) => ({ id: k }))
test('loads agent-base (${i})', () => { expect(fixtures).toHaveLength(5000) })
`

// cls-hooked creates and enables an async hook when it is loaded, and never disables it: each
// test file's copy adds one more, which Node keeps with the file's functions.
const clsHookedFile = (i) => `const cls = require('cls-hooked-4.2.2')
const ns = cls.createNamespace('request-${i}')
afterAll(() => cls.destroyNamespace('request-${i}'))
test('keeps a value in the namespace (${i})', () => {
  ns.run(() => {
    ns.set('id', 'r${i}')
    expect(ns.get('id')).toBe('r${i}')
  })
})
`

const projects = []
function project(...args) {
  const dir = makeProject(...args)
  projects.push(dir)
  return dir
}
after(() => {
  for (const dir of projects) fs.rmSync(dir, { recursive: true, force: true })
})

for (const jest of [30, 29]) {
  describe(`leakhunt jest on Jest ${jest}: which finished test files stay alive`, () => {
    it('graceful-fs 4.1.15: every file is kept, through fs, by a chain of its copies; one entry', () => {
      const dir = project('gfs-old', times(FILES, gracefulFile('4.1.15')), { packages: ['graceful-fs-4.1.15'], jest })
      const { code, out, report } = leakhuntJest(dir)
      assert.equal(code, 1, out)
      assert.ok(report, out)
      assert.equal(report.jest.split('.')[0], String(jest))
      assert.equal(report.files, FILES)
      assert.ok(report.kept.length >= 0.8 * FILES, out)
      assert.equal(report.groups.length, 1, out)
      const [group] = report.groups
      assert.match(group.holder, /^require\('fs'\)\.(File)?(Read|Write)Stream$|^require\('fs'\)\.close(Sync)?$/, out)
      assert.equal(group.chain, true, out)
      assert.match(group.madeAt.scriptName, /graceful-fs-4\.1\.15[\\/]/, out)
      assert.match(group.fix, /graceful-fs@4\.1\.15/, out)
      assert.ok(group.averageSize > 100_000, `each file keeps its fixtures: ${group.averageSize}`)
      assert.match(out, new RegExp(`${report.kept.length} of ${FILES} test files are kept by require\\('fs'\\)`))
      assert.match(out, /Tests: +10 passed, 10 total/, 'the suite’s own results are printed')
      // The JSON is what index.d.ts declares, field by field, both ways.
      const interfaces = declaredInterfaces()
      check(interfaces, 'SuiteReport', report, 'report')
      check(interfaces, 'KeptFileGroup', group, 'report.groups[0]')
      check(interfaces, 'KeptFile', report.kept[0], 'report.kept[0]')
      check(interfaces, 'SourceLocation', group.madeAt, 'report.groups[0].madeAt')
    })

    it('graceful-fs 4.2.11 (the fixed version): no file is kept', () => {
      const dir = project('gfs-new', times(FILES, gracefulFile('4.2.11')), { packages: ['graceful-fs-4.2.11'], jest })
      const { code, out, report } = leakhuntJest(dir)
      assert.equal(code, 0, out)
      assert.equal(report.files, FILES)
      assert.deepEqual(report.kept, [], out)
      assert.match(out, /no finished test file stays alive \(10 checked\)/)
    })

    it('ordinary suites keep nothing: pure functions, fs, a server opened and closed, fake timers', () => {
      const dir = project('ordinary', ordinaryFiles, { jest })
      const { code, out, report } = leakhuntJest(dir)
      assert.equal(code, 0, out)
      assert.equal(report.files, ordinaryFiles.length)
      assert.deepEqual(report.kept, [], out)
    })

    it('jsdom components keep nothing, through leakhunt jest and through the environment wrapper in plain Jest', () => {
      const dir = project('jsdom', jsdomFiles, { jest, jestConfig: { testEnvironment: 'jsdom' } })
      const { code, out, report } = leakhuntJest(dir)
      assert.equal(code, 0, out)
      assert.match(out, /Tests:\s+10 passed/)
      assert.equal(report.files, FILES)
      assert.deepEqual(report.kept, [], out)
      const wrapped = project('jsdom-env', jsdomFiles, {
        jest,
        jestConfig: { testEnvironment: 'leakhunt/jest-environment', testEnvironmentOptions: { leakhunt: { environment: 'jsdom' } }, reporters: ['default', 'leakhunt/jest-reporter'] },
      })
      const plain = run(wrapped, [jestBin(wrapped), '--config', 'jest.config.js', '--runInBand'])
      assert.equal(plain.code, 0, plain.out)
      assert.match(plain.out, /no finished test file stays alive \(10 checked\)/)
    })
  })
}

// A test file in TypeScript, run through ts-jest (kulshekhar/ts-jest#1967: suites that run out
// of memory under ts-jest), that wraps http.get and never restores it. The interface is gone
// from the code V8 runs and the import became a require: the lines moved.
const typescriptFile = (i) => `import http = require('http')

interface RetryOptions {
  retries: number
  timeoutMs: number
}
const options: RetryOptions = { retries: ${i}, timeoutMs: 1000 }
const get = http.get
;(http as { get: unknown }).get = (...args: Parameters<typeof http.get>) => get(...args)
test('retries (${i})', () => {
  expect(options.retries).toBe(${i})
})
`

describe('leakhunt jest: more mechanisms, failures and usage (Jest 30)', () => {
  it('--html writes the report as one private page that Chromium renders: each holder, its files, the fix, a path', needsChromium, () => {
    const dir = project('gfs-html', times(FILES, gracefulFile('4.1.15')), { packages: ['graceful-fs-4.1.15'] })
    const html = path.join(dir, 'suite.html')
    const { code, out } = run(dir, [CLI, 'jest', '--html', html, '--quiet', '--', '--config', 'jest.config.js'])
    assert.equal(code, 1, out)
    assert.equal(fs.statSync(html).mode & 0o777, 0o600)
    const page = renderPage(html)
    assert.equal(page.status, 0, page.stderr)
    assert.deepEqual(page.consoleLines, [], 'no console messages or errors')
    assert.match(page.dom, /10 of 10 finished test files stay alive/)
    assert.match(page.dom, /test files kept by <code>require\('fs'\)\./)
    assert.match(page.dom, /Fix: the package graceful-fs@4\.1\.15 replaces/)
    assert.equal((page.dom.match(/<li><code>tests\/file\d\d\.test\.js<\/code><\/li>/g) || []).length, FILES)
    assert.match(page.dom, /<ol class="path">/, 'why the first file is alive')
    const bad = run(dir, [CLI, 'jest', '--html', path.join(dir, 'no-such-dir', 'x.html'), '--', '--config', 'jest.config.js'])
    assert.equal(bad.code, 2, bad.out)
    assert.match(bad.out, /cannot write the HTML report/)
  })

  it('a TypeScript test file (ts-jest) that wraps http.get: the reference made at the line of the .ts file', () => {
    const dir = project('ts-jest', times(FILES, typescriptFile), {
      packages: ['ts-jest', 'typescript'],
      ext: 'ts',
      jestConfig: { testMatch: ['**/*.test.ts'], transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] } },
    })
    const { code, out, report } = leakhuntJest(dir)
    assert.equal(code, 1, out)
    assert.match(out, /Tests:\s+10 passed/)
    assert.ok(report.kept.length >= 8, out)
    const line = typescriptFile(1).split('\n').findIndex((l) => l.includes('.get = (...args')) + 1
    for (const g of report.groups) {
      assert.match(g.holder, /^require\('http'\)\.get$/)
      assert.match(g.madeAt.scriptName, /^tests[\\/]file\d\d\.test\.ts$/)
      assert.equal(g.madeAt.line, line, JSON.stringify(g.madeAt))
      assert.ok(g.madeAt.generated && g.madeAt.generated.line !== line, JSON.stringify(g.madeAt))
    }
    // One file's wrapper reads "made at FILE:LINE"; a chain made by every file reads "made in each file's own code (FILE:LINE)".
    assert.match(out, new RegExp(`(made at |made in each file's own code \\()tests/file\\d\\d\\.test\\.ts:${line}:`))
  })

  it('agent-base 4.3.0: the files whose functions replaced https.request and https.get are kept; agent-base 5: none', () => {
    const dir = project('agent-base-4', times(FILES, agentBaseFile('4.3.0')), { packages: ['agent-base-4.3.0'] })
    const { code, out, report } = leakhuntJest(dir)
    assert.equal(code, 1, out)
    const holders = report.groups.map((g) => g.holder).sort()
    assert.deepEqual(holders, ["require('https').get", "require('https').request"], out)
    for (const g of report.groups) assert.match(g.madeAt.scriptName, /agent-base-4\.3\.0[\\/]patch-core\.js$/, out)

    const fixed = leakhuntJest(project('agent-base-5', times(FILES, agentBaseFile('5.1.1')), { packages: ['agent-base-5.1.1'] }))
    assert.equal(fixed.code, 0, fixed.out)
    assert.deepEqual(fixed.report.kept, [], fixed.out)
  })

  it('cls-hooked 4.2.2: every file is kept by the async hook its copy enabled; one entry, with disable() as the fix', () => {
    const dir = project('cls-hooked', times(FILES, clsHookedFile), { packages: ['cls-hooked-4.2.2'] })
    const { code, out, report } = leakhuntJest(dir)
    assert.equal(code, 1, out)
    assert.ok(report.kept.length >= 0.8 * FILES, out)
    assert.equal(report.groups.length, 1, out)
    assert.match(report.groups[0].holder, /^AsyncHook/, out)
    assert.match(report.groups[0].fix, /disable\(\)/, out)
    assert.match(report.groups[0].madeAt.scriptName, /cls-hooked-4\.2\.2[\\/]context\.js$/, out)
  })

  it('node-cache never closed: every file is kept by its timer; closed in afterAll: none', () => {
    const leaky = project('cache-open', times(FILES, nodeCacheFile(false)), { packages: ['node-cache-5.1.2'] })
    const open = leakhuntJest(leaky)
    assert.equal(open.code, 1, open.out)
    assert.ok(open.report.kept.length >= 0.8 * FILES, open.out)
    // One entry: each file's own timer, in Node's list of 120 s timers, named as a timer (not
    // as the timers module's function whose scope the path went through), with the cleanup
    // of the object the callback was bound to, called on the variable the file holds it in.
    assert.equal(open.report.groups.length, 1, open.out)
    const [timer] = open.report.groups
    assert.equal(timer.holder, 'a timer of 120000 ms (setTimeout/setInterval)', open.out)
    assert.equal(timer.coreModule, null)
    assert.match(timer.madeAt.scriptName, /node-cache-5\.1\.2[\\/]lib[\\/]node_cache\.js$/)
    assert.match(timer.fix, /^a timer started by the package node-cache@5\.1\.2 still runs after the file finished: stop it in afterAll with cache\.close\(\)$/)

    const closed = project('cache-closed', times(FILES, nodeCacheFile(true)), { packages: ['node-cache-5.1.2'] })
    const fixed = leakhuntJest(closed)
    assert.equal(fixed.code, 0, fixed.out)
    assert.deepEqual(fixed.report.kept, [], fixed.out)
  })

  it('a diagnostics_channel subscription each file makes: one entry, unsubscribe as the fix; unsubscribed in afterAll: none', () => {
    const channelFile = (unsubscribed) => (i) => `const dc = require('diagnostics_channel')
const rows = Array.from({ length: 5000 }, (_, k) => ({ k }))
const onStart = () => rows.length + ${i}
dc.subscribe('http.client.request.start', onStart)
${unsubscribed ? "afterAll(() => dc.unsubscribe('http.client.request.start', onStart))\n" : ''}test('subscribes (${i})', () => expect(rows).toHaveLength(5000))
`
    const { group } = keptAsOneEntry(project('channel-kept', times(FILES, channelFile(false))))
    assert.equal(group.holder, 'a diagnostics_channel subscriber')
    assert.match(group.fix, /unsubscribe it in afterAll/)
    keptNone(project('channel-unsubscribed', times(FILES, channelFile(true))))
  })

  it("prom-client's default metrics started in every file: kept by the package's GC observer, a fix the user can apply; a Counter per file: none", () => {
    const metricsFile = (defaults) => (i) => `const client = require('prom-client-15.1.3')
const rows = Array.from({ length: 5000 }, (_, k) => ({ k }))
${defaults ? 'client.collectDefaultMetrics()' : "const hits = new client.Counter({ name: 'hits_total', help: 'hits' })"}
test('exposes metrics (${i})', async () => {
  ${defaults ? '' : 'hits.inc()\n  '}expect(await client.register.metrics()).toContain(${defaults ? "'process_cpu'" : "'hits_total 1'"})
  expect(rows).toHaveLength(5000)
})
`
    const { group: g } = keptAsOneEntry(project('prom-defaults', times(FILES, metricsFile(true)), { packages: ['prom-client-15.1.3'] }))
    assert.match(g.madeAt.scriptName, /prom-client-15\.1\.3[\\/]lib[\\/]/)
    // Not "call PerformanceObserver's disconnect()": the package holds the observer, not the user.
    assert.match(g.fix, /made by the package prom-client@15\.1\.3, which keeps that PerformanceObserver: call the package's own cleanup/)
    keptNone(project('prom-counter', times(FILES, metricsFile(false)), { packages: ['prom-client-15.1.3'] }))
  })

  it('nock 13 in every file, never restored: a chain through http.ClientRequest, one entry; nock.restore() in afterAll: none', () => {
    // nock overrides http.ClientRequest and http(s).request/get when it is loaded; each file's
    // copy wraps the one before, until nock.restore() puts the originals back.
    const nockFile = (restored) => (i) => `const nock = require('nock-13.5.6')
const http = require('http')
const rows = Array.from({ length: 5000 }, (_, k) => ({ k }))
${restored ? 'afterAll(() => nock.restore())\n' : ''}test('fetches a mocked user (${i})', async () => {
  nock('http://api.example.test').get('/users/${i}').reply(200, { id: ${i} })
  const body = await new Promise((resolve, reject) => {
    http.get('http://api.example.test/users/${i}', (res) => {
      let text = ''
      res.on('data', (d) => (text += d))
      res.on('end', () => resolve(JSON.parse(text)))
    }).on('error', reject)
  })
  expect(body).toEqual({ id: ${i} })
  expect(rows).toHaveLength(5000)
})
`
    const { group: g, out } = keptAsOneEntry(project('nock-kept', times(FILES, nockFile(false)), { packages: ['nock-13.5.6'] }))
    assert.match(g.holder, /^require\('https?'\)\.(ClientRequest|request|get)$/, out)
    assert.match(g.madeAt.scriptName, /nock-13\.5\.6[\\/]lib[\\/]/)
    assert.match(g.fix, /the package nock@13\.5\.6 replaces .*with the package's own restore/)
    keptNone(project('nock-restored', times(FILES, nockFile(true)), { packages: ['nock-13.5.6'] }))
  })

  it("an HTTP server each file leaves listening: one entry, the Server's 'request' listener made in each file, close() as the fix", () => {
    const serverFile = (i) => `const http = require('http')
const rows = Array.from({ length: 5000 }, (_, k) => ({ k }))
let server
beforeAll((done) => {
  server = http.createServer((req, res) => res.end('ok ${i} ' + rows.length))
  server.listen(0, '127.0.0.1', done)
})
test('answers (${i})', async () => {
  const res = await fetch('http://127.0.0.1:' + server.address().port + '/')
  expect(await res.text()).toBe('ok ${i} 5000')
})
`
    const { group, out } = keptAsOneEntry(project('server-open', times(FILES, serverFile)))
    assert.equal(group.holder, "Server's 'request' listener")
    // In the file's own words: its variable holds the Server.
    assert.match(group.fix, /call server\.close\(\) in afterAll$/)
    assert.match(out, /made in each file's own code \(tests\/file\d\d\.test\.js:5:\d+\)/)
  })

  it("a listener each file adds to process.stdout: one entry named process.stdout, off() as the fix (not closing stdout); removed in afterAll: none", () => {
    // Jest gives each file a process object of its own, but its stdout is the process's: a
    // logger's 'error' handler (EPIPE) added at a file's top level stays on the real stream.
    const stdoutFile = (removed) => (i) => `const rows = Array.from({ length: 5000 }, (_, k) => ({ k }))
const onError = (err) => rows.push({ err })
process.stdout.on('error', onError)
${removed ? "afterAll(() => process.stdout.off('error', onError))\n" : ''}test('logs (${i})', () => { expect(rows).toHaveLength(5000) })
`
    const { group, out } = keptAsOneEntry(project('stdout-listener', times(FILES, stdoutFile(false))))
    assert.equal(group.holder, "process.stdout's 'error' listener", out)
    assert.match(group.fix, /adds an 'error' listener to process\.stdout, which every test file shares: remove it in afterAll \(process\.stdout\.off\('error', listener\)\)/, out)
    assert.doesNotMatch(group.fix, /end\(\)|destroy\(\)|close\(\)/, out)
    keptNone(project('stdout-listener-removed', times(FILES, stdoutFile(true))))
  })

  it("node-cron 3's schedule() in every file, never stopped: its timer keeps the file, one entry naming ScheduledTask's stop() (the object the user holds, not the package's Scheduler); stopped in afterAll: none", () => {
    const cronFile = (stopped) => (i) => `const cron = require('node-cron-3.0.3')
const rows = Array.from({ length: 5000 }, (_, k) => ({ k }))
const task = cron.schedule('0 3 * * *', () => rows.push({ at: Date.now() }))
${stopped ? 'afterAll(() => task.stop())\n' : ''}test('schedules a nightly job (${i})', () => { expect(rows).toHaveLength(5000) })
`
    const { group, out } = keptAsOneEntry(project('cron', times(FILES, cronFile(false)), { packages: ['node-cron-3.0.3'] }))
    assert.match(group.holder, /^a timer of 1000 ms/, out)
    assert.match(group.fix, /node-cron@3\.0\.3 .* ScheduledTask's stop\(\)/, out)
    assert.doesNotMatch(group.fix, /Scheduler's/, out)
    keptNone(project('cron-stopped', times(FILES, cronFile(true)), { packages: ['node-cron-3.0.3'] }))
  })

  it("fastify 4, socket.io 4 and express 4 servers left listening: one entry each, the package named, the cleanup called on the file's own variable; closed in afterAll: none", () => {
    const fastifyFile = (closed) => (i) => `const Fastify = require('fastify-4.28.1')
const rows = Array.from({ length: 5000 }, (_, k) => ({ k }))
const app = Fastify()
app.get('/', async () => ({ n: rows.length }))
beforeAll(() => app.listen({ port: 0, host: '127.0.0.1' }))
${closed ? 'afterAll(() => app.close())\n' : ''}test('serves (${i})', async () => {
  const res = await app.inject('/')
  expect(res.json().n).toBe(5000)
})
`
    const ioFile = (closed) => (i) => `const { Server } = require('socket.io-4.8.1')
const rows = Array.from({ length: 5000 }, (_, k) => ({ k }))
const io = new Server()
io.on('connection', (socket) => socket.emit('rows', rows.length))
beforeAll(() => { io.listen(0) })
${closed ? 'afterAll(() => new Promise((resolve) => io.close(() => resolve())))\n' : ''}test('listens (${i})', () => { expect(rows).toHaveLength(5000) })
`
    // What app.listen() returns is Node's own Server, held by the file's variable.
    const expressFile = (closed) => (i) => `const express = require('express-4.21.2')
const rows = Array.from({ length: 5000 }, (_, k) => ({ k }))
const app = express()
app.get('/', (req, res) => res.json({ n: rows.length }))
const server = app.listen(0, '127.0.0.1')
${closed ? 'afterAll(() => new Promise((resolve) => server.close(resolve)))\n' : ''}test('serves (${i})', async () => {
  await new Promise((resolve) => (server.listening ? resolve() : server.once('listening', resolve)))
  const res = await fetch('http://127.0.0.1:' + server.address().port + '/')
  expect((await res.json()).n).toBe(5000)
})
`
    const servers = [
      ['fastify', fastifyFile, 'fastify-4.28.1', /fastify@4\.28\.1/, 'app.close()'],
      ['socket.io', ioFile, 'socket.io-4.8.1', /engine\.io@|socket\.io@/, 'io.close()'],
      ['express', expressFile, 'express-4.21.2', /express@4\.21\.2/, 'server.close()'],
    ]
    for (const [name, make, installed, pkg, call] of servers) {
      const packages = [installed]
      const { group, out } = keptAsOneEntry(project(`${name}-open`, times(FILES, make(false)), { packages }))
      assert.match(group.holder, /^Server's '\w+' listener$/, out)
      assert.match(group.fix, pkg, out)
      // fastify's close is set on the instance itself, socket.io's on its class: either way
      // what the file holds (not the http.Server inside, nor "the package's own cleanup").
      assert.ok(group.fix.endsWith(`: call ${call} in afterAll`), out)
      keptNone(project(`${name}-closed`, times(FILES, make(true)), { packages }))
    }
  })

  it("tarn 3's Pool reaps on an interval until destroy(): every file is kept by its timer, one entry naming pool.destroy() (the file's variable); destroyed in afterAll: none", () => {
    const poolFile = (destroyed) => (i) => `const { Pool } = require('tarn-3.0.2')
const rows = Array.from({ length: 5000 }, (_, k) => ({ k }))
const pool = new Pool({ create: () => ({ id: ${i} }), destroy: () => {}, min: 0, max: 2, reapIntervalMillis: 1000 })
${destroyed ? 'afterAll(() => pool.destroy())\n' : ''}test('acquires a resource (${i})', async () => {
  const resource = await pool.acquire().promise
  pool.release(resource)
  expect(rows).toHaveLength(5000)
})
`
    const { group } = keptAsOneEntry(project('tarn-open', times(FILES, poolFile(false)), { packages: ['tarn-3.0.2'] }))
    assert.equal(group.holder, 'a timer of 1000 ms (setTimeout/setInterval)')
    assert.match(group.madeAt.scriptName, /tarn-3\.0\.2[\\/]dist[\\/]Pool\.js$/)
    assert.match(group.fix, /the package tarn@3\.0\.2 .*stop it in afterAll with pool\.destroy\(\)$/)
    keptNone(project('tarn-destroyed', times(FILES, poolFile(true)), { packages: ['tarn-3.0.2'] }))
  })

  it("lru-cache 10's ttlAutopurge: a timeout per entry keeps each file until it fires, and the package keeps it to itself: no clearInterval as the fix; fake timers or no autopurge: none", () => {
    const cacheFile = (how) => (i) => `${how === 'fake' ? 'jest.useFakeTimers()\n' : ''}const { LRUCache } = require('lru-cache-10.4.3')
const rows = Array.from({ length: 5000 }, (_, k) => ({ k }))
const cache = new LRUCache({ max: 100, ttl: 60000${how === 'off' ? '' : ', ttlAutopurge: true'} })
test('caches the rows (${i})', () => {
  cache.set('rows', rows)
  expect(cache.get('rows')).toHaveLength(5000)
})
`
    const packages = ['lru-cache-10.4.3']
    const { group, out } = keptAsOneEntry(project('lru-autopurge', times(FILES, cacheFile('autopurge')), { packages }))
    assert.match(group.holder, /^a timer of 60001 ms/, out)
    assert.match(group.fix, /the package lru-cache@10\.4\.3 still runs after the file finished, and the package keeps it to itself: .*fake timers/, out)
    assert.doesNotMatch(group.fix, /clearInterval|clearTimeout/, out)
    keptNone(project('lru-fake-timers', times(FILES, cacheFile('fake')), { packages }))
    keptNone(project('lru-no-autopurge', times(FILES, cacheFile('off')), { packages }))
  })

  it('a suite that runs out of memory is explained before it dies: the files finished so far, and what keeps them', () => {
    const heavy = (i) => gracefulFile('4.1.15')(i).replaceAll('5000', '60000')
    const dir = project('oom', times(30, heavy), { packages: ['graceful-fs-4.1.15'] })
    const { code, out } = run(dir, [CLI, 'jest', '--quiet', '--', '--config', 'jest.config.js', '--silent'], { nodeOptions: '--max-old-space-size=160' })
    assert.notEqual(code, 0, out)
    assert.match(out, /leakhunt: the heap is at \d+% of its limit .*; what keeps the test files finished so far:/)
    assert.match(out, /\d+ of \d+ test files are kept by require\('fs'\)\.\w+ \(a chain/)
  })

  it('a failing test is not a kept file: exit 1 for the failure, no file reported kept', () => {
    const files = times(FILES, (i) => `test('n ${i}', () => { expect(${i}).toBe(${i === 3 ? 4 : i}) })\n`)
    const dir = project('failing', files)
    const { code, out, report } = leakhuntJest(dir)
    assert.equal(code, 1, out)
    assert.equal(report.testsFailed, true)
    assert.deepEqual(report.kept, [], out)
    assert.deepEqual(report.failedNotChecked, ['tests/file03.test.js'], out)
  })

  it('usage errors exit 2 with one line: no Jest in the project, an unknown option', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-suite-nojest-'))
    projects.push(empty)
    const none = run(empty, [CLI, 'jest'])
    assert.equal(none.code, 2, none.out)
    assert.match(none.out, /leakhunt: no Jest in /)
    const bad = run(empty, [CLI, 'jest', '--frobnicate'])
    assert.equal(bad.code, 2, bad.out)
    assert.match(bad.out, /Jest's own options go after --/)
  })
})

for (const jest of [30, 29]) {
  describe(`plain Jest ${jest} with testEnvironment 'leakhunt/jest-environment' and the reporter`, () => {
    const jestConfig = { testEnvironment: 'leakhunt/jest-environment', reporters: ['default', 'leakhunt/jest-reporter'] }

    it('in band, the reporter names the kept files and fails the run', () => {
      const leaky = project('env-old', times(FILES, gracefulFile('4.1.15')), { packages: ['graceful-fs-4.1.15'], jestConfig, jest })
      const { code, out } = run(leaky, [jestBin(leaky), '--config', 'jest.config.js', '--runInBand'])
      assert.equal(code, 1, out)
      assert.match(out, /leakhunt: \d+ of 10 finished test files stay alive/)
      assert.match(out, /test files are kept by require\('fs'\)\./)
      // Through leakhunt jest, with the reporter in the config too: checked once, by the CLI.
      const both = leakhuntJest(leaky)
      assert.equal(both.code, 1, both.out)
      assert.ok(both.report.kept.length >= 0.8 * FILES, both.out)
      assert.equal(both.out.match(/^leakhunt: \d+ of \d+ finished test files stay alive$/gm).length, 1, both.out)
    })

    it('the fixed version passes', () => {
      const clean = project('env-new', times(FILES, gracefulFile('4.2.11')), { packages: ['graceful-fs-4.2.11'], jestConfig, jest })
      const { code, out } = run(clean, [jestBin(clean), '--config', 'jest.config.js', '--runInBand'])
      assert.equal(code, 0, out)
      assert.match(out, /no finished test file stays alive \(10 checked\)/)
    })

    it('with workers, each worker checks the files it ran and the reporter merges them: the kept files named, one entry; the fixed version passes', () => {
      // Projects of their own: with the timings of an earlier run in its cache, Jest runs a
      // quick suite in band whatever --maxWorkers says.
      const leaky = project('env-workers-old', times(FILES, gracefulFile('4.1.15')), { packages: ['graceful-fs-4.1.15'], jestConfig: { ...jestConfig, reporters: ['default', ['leakhunt/jest-reporter', { outputFile: 'report.json', htmlFile: 'report.html' }]] }, jest })
      const tmp = project('tmpdir', [])
      fs.rmSync(tmp, { recursive: true, force: true })
      fs.mkdirSync(tmp)
      const kept = run(leaky, [jestBin(leaky), '--config', 'jest.config.js', '--maxWorkers=3'], { extraEnv: { TMPDIR: tmp } })
      assert.equal(kept.code, 1, kept.out)
      assert.match(kept.out, /checking the finished test files in [23] Jest workers/)
      const report = JSON.parse(fs.readFileSync(path.join(leaky, 'report.json'), 'utf8'))
      assert.ok(report.workers >= 2, `${report.workers} workers`)
      assert.equal(report.files, FILES)
      assert.equal(report.kept.length, FILES, kept.out)
      // One chain per worker (each worker's copies extend each other), each kept through
      // whichever of fs's replaced classes its path takes first.
      assert.ok(report.groups.length <= report.workers, JSON.stringify(report.groups.map((g) => g.holder)))
      for (const g of report.groups) {
        assert.match(g.holder, /^require\('fs'\)\./)
        assert.match(g.madeAt.scriptName, /graceful-fs-4\.1\.15[\\/]graceful-fs\.js$/)
        assert.match(g.fix, /graceful-fs@4\.1\.15 replaces .* use a version of graceful-fs that makes this change only once per process/)
      }
      assert.match(kept.out, /leakhunt: 10 of 10 finished test files stay alive/)
      assert.match(fs.readFileSync(path.join(leaky, 'report.html'), 'utf8'), /10 of 10 finished test files stay alive/)
      assert.deepEqual(fs.readdirSync(tmp), [], 'the workers directory is removed')

      const clean = project('env-workers-new', times(FILES, gracefulFile('4.2.11')), { packages: ['graceful-fs-4.2.11'], jestConfig, jest })
      const released = run(clean, [jestBin(clean), '--config', 'jest.config.js', '--maxWorkers=2'])
      assert.equal(released.code, 0, released.out)
      assert.match(released.out, /no finished test file stays alive \(10 checked\)/)
    })
  })
}

describe("merging Jest workers' reports", () => {
  // Which files a worker runs is Jest's choice: a worker may run one file, and its copy of a
  // package then stands alone, no chain to show that each file makes the change again.
  it('a file alone in its worker is not called a change made once, when the run had more files', () => {
    const { merge } = require('../lib/sandboxes.js')
    const made = { scriptName: path.join('node_modules', 'graceful-fs-4.1.15', 'graceful-fs.js'), line: 216, column: 3 }
    const entry = (file, holder, through) => ({ file, retainedSize: 1000, holder, holderId: 1, reference: { name: 'WriteStream', type: 'closure' }, madeBy: null, madeAt: made, coreModule: 'fs', holderClass: 'Function', release: null, through, retainerPath: [] })
    const chained = ['tests/file01.test.js', 'tests/file02.test.js', 'tests/file03.test.js']
    const worker1 = { files: 3, kept: chained.map((f, i) => entry(f, "require('fs').ReadStream", i < 2 ? chained[i + 1] : null)) }
    const worker2 = { files: 1, kept: [entry('tests/file04.test.js', "require('fs').WriteStream", null)] }
    const merged = merge([worker1, worker2], ROOT)
    assert.equal(merged.files, 4)
    assert.equal(merged.groups.length, 2)
    for (const g of merged.groups) {
      assert.doesNotMatch(g.fix, /the change that stands is/, g.fix)
      assert.match(g.fix, /only once per process/, g.fix)
    }
    // …while a file alone in a worker that ran others is that one change, said so.
    const shared = merge([worker1, { files: 4, kept: worker2.kept }], ROOT)
    const alone = shared.groups.find((g) => g.files.length === 1)
    assert.match(alone.fix, /the change that stands is tests\/file04\.test\.js's: .* a cost that does not grow with the suite/)
  })
})

/** A Vitest project: ESM test files, the project's vitest.config.mjs. */
function makeVitestProject(name, files, { packages = [], test = {} } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `leakhunt-vitest-${name}-`))
  projects.push(dir)
  fs.mkdirSync(path.join(dir, 'node_modules'))
  for (const p of ['vitest', ...packages]) fs.symlinkSync(path.join(ROOT, 'node_modules', p), path.join(dir, 'node_modules', p), 'dir')
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "suite", "private": true, "type": "module" }\n')
  fs.mkdirSync(path.join(dir, 'tests'))
  for (let i = 0; i < files.length; i++) fs.writeFileSync(path.join(dir, 'tests', `file${String(i + 1).padStart(2, '0')}.test.js`), files[i])
  fs.writeFileSync(path.join(dir, 'vitest.config.mjs'), `export default ${JSON.stringify({ test: { include: ['tests/**/*.test.js'], ...test } })}\n`)
  return dir
}

function leakhuntVitest(dir, args = [], options = {}) {
  const json = path.join(dir, 'report.json')
  const { code, out } = run(dir, [CLI, 'vitest', '--json', json, '--', ...args], options)
  const report = fs.existsSync(json) ? JSON.parse(fs.readFileSync(json, 'utf8')) : null
  return { code, out, report }
}

const gracefulVitestFile = (version) => (i) => `import { test, expect } from 'vitest'
import gfs from 'graceful-fs-${version}'
const fixtures = Array.from({ length: 5000 }, (_, k) => ({ id: k, name: 'row ' + k }))
test('reads through graceful-fs (${i})', () => {
  expect(typeof gfs.readFile).toBe('function')
  expect(fixtures).toHaveLength(5000)
})
`

// In Vitest's vm pools a test file's `process` is the worker's own process object (Jest gives
// each file one of its own): graceful-fs, even 4.2.11, replaces process.chdir with a function
// of its copy in every file that loads it, each wrapping the one before (polyfills.js).
const ordinaryVitestFiles = [
  ...times(4, (i) => `import { test, expect } from 'vitest'
const add = (a, b) => a + b
test('adds (${i})', () => { expect(add(${i}, 1)).toBe(${i + 1}) })
`),
  ...times(3, (i) => `import { test, expect } from 'vitest'
import fs from 'node:fs'
test('reads itself (${i})', async () => {
  expect(await fs.promises.readFile(new URL(import.meta.url), 'utf8')).toContain('reads itself')
})
`),
  ...times(3, (i) => `import { test, expect, vi } from 'vitest'
test('debounces (${i})', () => {
  vi.useFakeTimers()
  const calls = []
  setTimeout(() => calls.push(${i}), 1000)
  vi.advanceTimersByTime(1000)
  expect(calls).toEqual([${i}])
  vi.useRealTimers()
})
`),
]

describe('leakhunt vitest', () => {
  for (const pool of ['vmThreads', 'vmForks']) {
    it(`${pool}: graceful-fs 4.2.11 keeps the files before the last, through a chain on process.chdir; ordinary files keep none`, () => {
      const dir = makeVitestProject(`gfs-${pool}`, times(FILES, gracefulVitestFile('4.2.11')), { packages: ['graceful-fs-4.2.11'], test: { pool } })
      const { code, out, report } = leakhuntVitest(dir)
      assert.equal(code, 1, out)
      assert.equal(report.pool, pool)
      assert.equal(report.files, FILES - 1, 'the last file is still finishing when the others are checked')
      assert.ok(report.kept.length >= 0.8 * (FILES - 1), out)
      const [main] = report.groups
      assert.match(main.holder, /^process\.(chdir|cwd)$|^require\('fs'\)/, out)
      assert.ok(report.groups.every((g) => /graceful-fs-4\.2\.11[\\/]/.test(g.madeAt.scriptName)), out)
      assert.ok(report.groups.some((g) => g.chain), out)
      assert.match(main.fix, /setupFiles file/)
      // A change that stands in one file only (graceful-fs 4.2.11 patches fs once per process)
      // costs that file alone: said so, and not "use a version that patches once per process".
      for (const g of report.groups.filter((g) => g.files.length === 1 && !g.chain && report.files > 1)) {
        assert.match(g.fix, /the change that stands is .*'s: .* a cost that does not grow with the suite/, out)
        assert.doesNotMatch(g.fix, /only once per process/, out)
      }

      const clean = makeVitestProject(`ordinary-${pool}`, ordinaryVitestFiles, { test: { pool } })
      const quiet = leakhuntVitest(clean)
      assert.equal(quiet.code, 0, quiet.out)
      assert.deepEqual(quiet.report.kept, [], quiet.out)
      assert.match(quiet.out, /no finished test file stays alive \(9 checked\)/)
      // What only Vitest's own machinery keeps is said, and not taken for the files' doing.
      assert.match(quiet.out, /only by the test runner's own machinery/)
    })
  }

  it("vmThreads: a process listener each file adds is every file's process's, one entry with off() as the fix; removed in afterAll: none", () => {
    // In the vm pools a file's `process` is the worker's own (Jest gives each file a copy).
    const exitFile = (removed) => (i) => `import { test, expect, afterAll } from 'vitest'
const rows = Array.from({ length: 5000 }, (_, k) => ({ k }))
const onExit = () => rows.length
process.on('exit', onExit)
${removed ? "afterAll(() => { process.off('exit', onExit) })\n" : ''}test('counts (${i})', () => { expect(rows).toHaveLength(5000) })
`
    const { code, out, report } = leakhuntVitest(makeVitestProject('process-exit', times(FILES, exitFile(false)), { test: { pool: 'vmThreads' } }))
    assert.equal(code, 1, out)
    assert.ok(report.kept.length >= 0.8 * report.files, out)
    assert.equal(report.groups.length, 1, out)
    assert.equal(report.groups[0].holder, "process's 'exit' listener", out)
    assert.match(report.groups[0].fix, /remove it in afterAll \(process\.off\('exit', listener\)\)/, out)
    const quiet = leakhuntVitest(makeVitestProject('process-exit-removed', times(FILES, exitFile(true)), { test: { pool: 'vmThreads' } }))
    assert.equal(quiet.code, 0, quiet.out)
    assert.deepEqual(quiet.report.kept, [], quiet.out)
  })

  it("the default pool ('forks', isolated): nothing can pile up, said in one line, exit 0", () => {
    const dir = makeVitestProject('gfs-forks', times(3, gracefulVitestFile('4.1.15')), { packages: ['graceful-fs-4.1.15'] })
    const { code, out, report } = leakhuntVitest(dir)
    assert.equal(code, 0, out)
    assert.match(report.note, /pool 'forks' runs each test file in a fresh process/)
    assert.match(out, /leakhunt: no test file was checked: pool 'forks'/)
    check(declaredInterfaces(), 'SuiteReport', report, 'report')
  })

  it('vmForks near the heap limit: the files finished so far are checked and explained before the worker dies', () => {
    const heavy = (i) => gracefulVitestFile('4.2.11')(i).replaceAll('5000', '60000')
    const dir = makeVitestProject('oom-vmForks', times(30, heavy), { packages: ['graceful-fs-4.2.11'], test: { pool: 'vmForks', poolOptions: { vmForks: { execArgv: ['--max-old-space-size=160'] } } } })
    const { code, out } = leakhuntVitest(dir)
    assert.notEqual(code, 0, out)
    assert.match(out, /leakhunt: the heap is at \d+% of its limit .*; what keeps the test files finished so far:/)
    // graceful-fs wraps process.cwd and process.chdir in every file: either is the chain's holder.
    assert.match(out, /\d+ of \d+ test files are kept by process\.(chdir|cwd) \(a chain/)
  })

  it('no Vitest in the project: exit 2 with one line', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-suite-novitest-'))
    projects.push(empty)
    const none = run(empty, [CLI, 'vitest'])
    assert.equal(none.code, 2, none.out)
    assert.match(none.out, /leakhunt: no Vitest in /)
  })
})

// V8's heap and Node's async context differ between releases (Node 24 keeps AsyncLocalStorage
// stores in an AsyncContextFrame): a leaky suite and its controls on the other releases too.
for (const [major, node] of Object.entries(otherNodes())) {
  describe(`on Node ${major}`, () => {
    it('Jest: graceful-fs 4.1.15 keeps every file, 4.2.11 and ordinary files none', () => {
      const leaky = leakhuntJest(project(`gfs-old-${major}`, times(FILES, gracefulFile('4.1.15')), { packages: ['graceful-fs-4.1.15'] }), [], { node })
      assert.equal(leaky.code, 1, leaky.out)
      assert.ok(leaky.report.kept.length >= 0.8 * FILES, leaky.out)
      assert.match(leaky.report.groups[0].holder, /^require\('fs'\)\./, leaky.out)
      const fixed = leakhuntJest(project(`gfs-new-${major}`, times(FILES, gracefulFile('4.2.11')), { packages: ['graceful-fs-4.2.11'] }), [], { node })
      assert.equal(fixed.code, 0, fixed.out)
      const ordinary = leakhuntJest(project(`ordinary-${major}`, ordinaryFiles), [], { node })
      assert.equal(ordinary.code, 0, ordinary.out)
      assert.deepEqual(ordinary.report.kept, [], ordinary.out)
    })

    it('Vitest vmThreads: graceful-fs keeps the files before the last; ordinary files none', () => {
      const leaky = leakhuntVitest(makeVitestProject(`gfs-${major}`, times(FILES, gracefulVitestFile('4.2.11')), { packages: ['graceful-fs-4.2.11'], test: { pool: 'vmThreads' } }), [], { node })
      assert.equal(leaky.code, 1, leaky.out)
      assert.ok(leaky.report.kept.length >= 0.8 * (FILES - 1), leaky.out)
      const quiet = leakhuntVitest(makeVitestProject(`ordinary-${major}`, ordinaryVitestFiles, { test: { pool: 'vmThreads' } }), [], { node })
      assert.equal(quiet.code, 0, quiet.out)
      assert.deepEqual(quiet.report.kept, [], quiet.out)
    })
  })
}
