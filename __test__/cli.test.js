'use strict'
// The command line, run as a child process on snapshots written at test time: exit codes,
// JSON shape, text, errors, `run` on scenario modules, and the HTML report opened in real
// headless Chromium.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { threeSnapshots } = require('./helpers/snapshots.js')

const CLI = path.join(__dirname, '..', 'bin', 'leakhunt.js')
const FIXTURES = path.join(__dirname, 'fixtures')
const { needsChromium, renderPage } = require('./helpers/chromium.js')

function cli(args, { env = {} } = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    timeout: 180_000,
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

let set
let dir

before(() => {
  set = threeSnapshots('module-cache.js', { iterations: 15 })
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-cli-test-'))
})
after(() => {
  if (set) set.cleanup()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

describe('leakhunt analyze', () => {
  it('exits 1 and prints each leak with its count per call and holder', () => {
    const { code, stdout, stderr } = cli(['analyze', set.baseline, set.target, set.final, '--iterations', '15'])
    assert.equal(code, 1, stderr)
    // Two growth points: the Map (its entries and their keys together) and the handlers array.
    assert.match(stdout, /leakhunt: 2 leaks found over 15 calls/)
    assert.match(stdout, /✖ sessionCache gains 1 CacheEntry per call, class at .*module-cache\.js:\d+:\d+: /)
    assert.match(stdout, /\.sessionCache/)
    assert.match(stdout, /✖ handlers gains 1 onRequest\(\) per call defined at .*module-cache\.js:14:/)
    assert.doesNotMatch(stdout, /\x1b\[/, 'no colour when stdout is not a terminal')
    assert.equal(stderr, '', 'no progress bar when stderr is not a terminal')
  })

  it('takes a fourth snapshot as a second round', () => {
    const { code, stdout, stderr } = cli(['analyze', set.baseline, set.target, set.final, set.confirm, '--iterations', '15', '--json'])
    assert.equal(code, 1, stderr)
    const report = JSON.parse(stdout)
    assert.equal(report.summary.confirmed, true)
    assert.deepEqual(report.leaks.map((g) => [g.holder.label, g.verdict.reason]).sort(), [
      ['handlers', 'grows-with-calls'],
      ['sessionCache', 'grows-with-calls'],
    ])
  })

  it('prints the LeakReport as JSON with --json', () => {
    const { code, stdout } = cli(['analyze', set.baseline, set.target, set.final, '--iterations', '15', '--json'])
    assert.equal(code, 1)
    const report = JSON.parse(stdout)
    assert.equal(report.schemaVersion, 2)
    const entry = report.leaks.find((g) => g.name === 'CacheEntry')
    assert.equal(entry.leadingCount, 15)
    assert.equal(entry.holder.name, 'Map')
    assert.equal(entry.countPerIteration, 1)
    assert.ok(entry.retainerPath.some((step) => step.edge === 'sessionCache'))
    for (const key of ['baseline', 'target', 'final']) assert.ok(report.summary[key].nodeCount > 1000)
    assert.equal(typeof report.summary.leakedRetainedSize, 'number')
  })

  it('exits 0 when nothing is new, and leaves out --ignore patterns', () => {
    const same = cli(['analyze', set.final, set.final, set.final])
    assert.equal(same.code, 0, same.stderr)
    assert.match(same.stdout, /no leaks found/)
    const ignored = cli(['analyze', set.baseline, set.target, set.final, '--ignore', 'CacheEntry', '--ignore', 'onRequest', '--json'])
    const report = JSON.parse(ignored.stdout)
    assert.deepEqual(report.leaks.filter((g) => g.name === 'CacheEntry' || g.name.startsWith('onRequest')), [])
    assert.ok(report.summary.ignoredObjectCount >= 30)
  })

  it('exits 2 with a one-line message on bad files and bad arguments', () => {
    const truncated = path.join(dir, 'truncated.heapsnapshot')
    fs.writeFileSync(truncated, fs.readFileSync(set.final).subarray(0, 5000))
    const cases = [
      [['analyze', set.baseline, set.target], /analyze takes <baseline> <target> <final> \[<confirm>\], got 2 arguments/],
      [['analyze', set.baseline, set.target, set.final, set.final, set.final], /analyze takes <baseline> <target> <final> \[<confirm>\], got 5 arguments/],
      [['analyze', set.baseline, set.target, path.join(dir, 'missing')], /cannot read .*missing: no such file/],
      [['analyze', set.baseline, set.target, truncated], /\[ERR_LEAKHUNT_\w+\]/],
      [['analyze', set.baseline, set.target, set.final, '--iterations', 'many'], /--iterations must be an integer >= 1/],
      [['analyze', set.baseline, set.target, set.final, '--iterations', '-5'], /--iterations must be an integer >= 1, got "-5"/],
      [['run', path.join(FIXTURES, 'cli-scenario-clean.js'), '--iterations', '-5'], /--iterations must be an integer >= 1, got "-5"/],
      [['analyze', set.baseline, set.target, set.final, '--html', path.join(dir, 'no', 'such', 'r.html')], /cannot write the HTML report to .*r\.html: the directory .* does not exist/],
      [['analyze', set.baseline, set.target, set.final, '--frobnicate'], /Unknown option '--frobnicate'/],
      [['explode'], /unknown command 'explode'/],
    ]
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = cli(args)
      assert.equal(code, 2, `${args.join(' ')}: ${stderr}`)
      assert.match(stderr, message)
      assert.match(stderr, /^leakhunt: /)
      assert.equal(stderr.trim().split('\n').length, 1, `one line: ${stderr}`)
      assert.equal(stdout, '')
    }
  })

  it('has --help for every command', () => {
    for (const command of ['analyze', 'inspect', 'run']) {
      const { code, stdout } = cli([command, '--help'])
      assert.equal(code, 0)
      assert.match(stdout, new RegExp(`Usage: leakhunt ${command}`))
    }
    const top = cli(['--help'])
    assert.equal(top.code, 0)
    assert.match(top.stdout, /Exit status: 0 no leak, 1 leaks found, 2 error/)
    assert.equal(cli([]).code, 2)
  })

  it('draws a progress bar on a terminal only, and not with --quiet', { skip: !fs.existsSync('/usr/bin/script') && !process.env.CI && 'needs script(1) for a terminal; in CI this fails instead' }, () => {
    const inTerminal = (args) =>
      spawnSync('/usr/bin/script', ['-qec', [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' '), '/dev/null'], {
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: '', NO_COLOR: '' },
        timeout: 180_000,
      })
    const shown = inTerminal(['analyze', set.baseline, set.target, set.final])
    assert.equal(shown.status, 1, shown.stdout)
    assert.match(shown.stdout, /reading \d+ of \d+ MB|\[#*-*\]/, 'the bar is drawn')
    assert.match(shown.stdout, /\x1b\[31m✖/, 'colour on a terminal')
    const quiet = inTerminal(['analyze', set.baseline, set.target, set.final, '--quiet', '--no-color'])
    assert.doesNotMatch(quiet.stdout, /reading \d+ of/)
    assert.doesNotMatch(quiet.stdout, /\x1b\[31m/)
  })
})

describe('leakhunt inspect', () => {
  it('prints counts and the top constructors, or JSON', () => {
    const text = cli(['inspect', set.final, '--top', '5'])
    assert.equal(text.code, 0, text.stderr)
    assert.match(text.stdout, /[\d,]+ nodes, [\d,]+ edges/)
    assert.match(text.stdout, /Top 5 by count:/)
    assert.match(text.stdout, /Top 5 by retained size:/)
    const json = JSON.parse(cli(['inspect', set.final, '--json']).stdout)
    assert.ok(json.nodeCount > 1000)
    assert.equal(json.topByCount.length, 10)
    assert.ok(json.topBySelfSize[0].selfSize >= json.topBySelfSize[1].selfSize)
  })
})

describe('leakhunt run', () => {
  it('hunts an ESM scenario with setup and teardown in a fresh process', () => {
    const { code, stdout, stderr } = cli(['run', path.join(FIXTURES, 'cli-scenario-leaky.mjs'), '--iterations', '10', '--json'])
    assert.equal(code, 1, stderr)
    const report = JSON.parse(stdout) // the scenario's own output went to stderr
    const session = report.leaks.find((g) => g.name === 'Session')
    assert.ok(session, stdout)
    assert.equal(session.countPerIteration, 1)
    assert.ok(session.retainerPath.some((step) => step.name === 'Map'))
    assert.match(stderr, /teardown ran with \d+ sessions/)
  })

  it('checks the --html destination before hunting, and never ends with a stack trace', () => {
    const started = Date.now()
    const missing = cli(['run', path.join(FIXTURES, 'cli-scenario-leaky.mjs'), '--html', path.join(dir, 'does-not-exist', 'r.html')])
    assert.equal(missing.code, 2)
    assert.equal(missing.stdout, '', 'nothing was hunted')
    assert.match(missing.stderr, /^leakhunt: cannot write the HTML report to .*: the directory .*does-not-exist does not exist\n$/)
    assert.ok(Date.now() - started < 5000, 'refused before the hunt')
    // A destination that is a directory: refused too, in one line.
    const isDir = cli(['run', path.join(FIXTURES, 'cli-scenario-leaky.mjs'), '--html', dir])
    assert.equal(isDir.code, 2)
    assert.match(isDir.stderr, /^leakhunt: cannot write the HTML report to .*: it is a directory\n$/)
  })

  it('exits 0 on a clean CommonJS scenario, and 2 on a module without action()', () => {
    const clean = cli(['run', path.join(FIXTURES, 'cli-scenario-clean.js'), '--iterations', '10'])
    assert.equal(clean.code, 0, clean.stdout + clean.stderr)
    assert.match(clean.stdout, /no leaks found over 10 calls/)
    const none = cli(['run', path.join(FIXTURES, 'module-cache.js').replace('module-cache', 'gc-kind')])
    assert.equal(none.code, 2)
    assert.match(none.stderr, /exports no action\(\) function/)
  })
})

describe('HTML report', () => {
  it('is one private, self-contained file that Chromium renders without console errors', needsChromium, () => {
    const file = path.join(dir, 'report.html')
    const { code } = cli(['run', path.join(FIXTURES, 'cli-scenario-leaky.mjs'), '--iterations', '10', '--html', file, '--quiet'])
    assert.equal(code, 1)
    assert.equal(fs.statSync(file).mode & 0o777, 0o600)
    const html = fs.readFileSync(file, 'utf8')
    assert.doesNotMatch(html, /(src|href)=["'](https?:)?\/\//, 'no external assets')
    assert.match(html, /<svg /)

    const page = renderPage(file)
    assert.equal(page.status, 0, page.stderr)
    assert.match(page.dom, /data-ready="true"/, 'the page script ran to its end')
    assert.match(page.dom, />Session</, 'the leak is named')
    assert.match(page.dom, /leak found over 10 calls/)
    assert.match(page.dom, /class="mark"/, 'the snapshots are marked on the memory chart')
    // One card per growth point, with what hangs from it; counts read as English.
    const cards = page.dom.match(/<section class="leak"/g) || []
    const rows = page.dom.match(/<tr data-count=/g) || []
    assert.equal(cards.length, rows.length)
    assert.ok(cards.length >= 1)
    assert.match(page.dom, /What hangs from it/)
    assert.match(page.dom, /gains 1 Session per call/)
    assert.doesNotMatch(page.dom, /\b1 objects\b|per \d+ per call/)
    assert.deepEqual(page.consoleLines, [], 'no console messages or errors')
    // Sorted by name through the page's own script: the rows come out in order.
    const sorted = renderPage(file, '#sort=name')
    const header = sorted.dom.match(/<th [^>]*data-key="name"[^>]*>/)
    assert.ok(header, 'the name column is sortable')
    assert.match(header[0], /data-desc="true"/, 'the #sort=name link clicked the name column')
    const names = [...sorted.dom.matchAll(/<tr data-count="\d+" data-retained="\d+" data-self="\d+" data-name="([^"]*)"/g)].map((m) => m[1])
    assert.ok(names.length >= 1)
    assert.deepEqual(names, [...names].sort((a, b) => b.localeCompare(a)))
  })
})
