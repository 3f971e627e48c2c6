'use strict'
// leakhunt against MemLab (`memlab find-leaks`, the best known three-snapshot tool) on the
// same files: three snapshots with a known leak at three sizes, each tool run alternately in
// fresh processes, wall time and peak RSS (GNU time), and whether each found the leak.
// MemLab is installed into bench/out/ for this benchmark only (PUPPETEER_SKIP_DOWNLOAD=1).
// It reports nothing on Node snapshots by default, so it runs with --trace-all-objects.
// Usage: node bench/memlab.js [snapshotMB ...]   (default 50 200 450; RUNS=3)
// TOOLS=leakhunt skips MemLab. leakhunt's own analysis after the parse (summary.analysisMs)
// is printed against its parse (summary.parseMs). TOOLS=leakhunt,previous LEAKHUNT_PREVIOUS=<another checkout,
// built> measures an earlier leakhunt beside this one, alternating, on the same files (what a
// change costs). The scale run (past 2^24 nodes and 1 GB) is bench/scale.js;
// `TOOLS=leakhunt,memlab RUNS=1 node bench/memlab.js 1800` would add MemLab at that size.
const { execFileSync, spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const OUT = path.join(__dirname, 'out')
const MEMLAB_DIR = path.join(OUT, 'memlab')
const MEMLAB = path.join(MEMLAB_DIR, 'node_modules', '@memlab', 'cli', 'bin', 'memlab.js')
const CLI = path.join(__dirname, '..', 'bin', 'leakhunt.js')
const PREVIOUS_CLI = process.env.LEAKHUNT_PREVIOUS && path.join(process.env.LEAKHUNT_PREVIOUS, 'bin', 'leakhunt.js')
const RUNS = Number(process.env.RUNS || 3)
const TOOLS = (process.env.TOOLS || 'leakhunt,memlab').split(',')
const LEAK = 'BenchKnownLeak'

// --- child: builds a heap whose snapshot is about N MB, and writes the three snapshots --------
if (process.argv[2] === '--write') {
  const v8 = require('node:v8')
  const [, , , mbArg, dir] = process.argv
  class BenchKnownLeak {
    constructor(i) {
      this.i = i
      this.note = `leaked ${i}`
    }
  }
  // A heap snapshot is ~1.6× the heap it describes; objects of a few shapes, as services hold.
  const heapBytes = (Number(mbArg) * 1e6) / 1.6
  globalThis.__rows = []
  for (let i = 0; process.memoryUsage().heapUsed < heapBytes; i++) {
    for (let k = 0; k < 10_000; k++, i++) globalThis.__rows.push({ id: i, name: i % 7 === 0 ? `row ${i}` : null, tags: i % 5 === 0 ? [i] : null })
  }
  const leaked = []
  const write = (name) => v8.writeHeapSnapshot(path.join(dir, `${name}.heapsnapshot`))
  write('baseline')
  for (let i = 0; i < 1000; i++) leaked.push(new BenchKnownLeak(i))
  write('target')
  write('final')
  globalThis.__keep = leaked
  process.exit(0)
}

// --- parent --------------------------------------------------------------------------------
function ensureMemlab() {
  if (fs.existsSync(MEMLAB)) return
  console.log('installing @memlab/cli@2.0.5 into bench/out/memlab (benchmark only)…')
  fs.mkdirSync(MEMLAB_DIR, { recursive: true })
  fs.writeFileSync(path.join(MEMLAB_DIR, 'package.json'), '{"private":true}')
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '@memlab/cli@2.0.5'], {
    cwd: MEMLAB_DIR,
    stdio: 'inherit',
    env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1' },
  })
}

/** Wall time and peak RSS of a command, by GNU time. */
function timed(args, options = {}) {
  const started = performance.now()
  const r = spawnSync('/usr/bin/time', ['-f', '%M', ...args], { encoding: 'utf8', maxBuffer: 1 << 28, ...options })
  const ms = performance.now() - started
  const rssKb = Number(r.stderr.trim().split('\n').pop())
  return { ms, rssMB: (rssKb * 1024) / 1e6, stdout: r.stdout, stderr: r.stderr, status: r.status }
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1] }
}
const fmt = (st, unit, digits) => `median ${st.median.toFixed(digits)} ${unit} (min ${st.min.toFixed(digits)}, max ${st.max.toFixed(digits)})`

function main() {
  const sizes = process.argv.slice(2).map(Number)
  if (sizes.length === 0) sizes.push(50, 200, 450)
  if (TOOLS.includes('memlab')) ensureMemlab()
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0].model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; ${RUNS} runs each, alternating`)
  for (const mb of sizes) {
    const dir = path.join(OUT, `memlab-${mb}`)
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
    const files = ['baseline', 'target', 'final'].map((n) => path.join(dir, `${n}.heapsnapshot`))
    if (!files.every((f) => fs.existsSync(f))) {
      execFileSync(process.execPath, ['--max-old-space-size=16000', __filename, '--write', String(mb), dir], { stdio: 'inherit' })
    }
    const sizeMB = files.map((f) => fs.statSync(f).size / 1e6)
    const runs = { leakhunt: [], memlab: [], previous: [] }
    for (let r = 0; r < RUNS; r++) {
      const order = (r % 2 === 0 ? ['leakhunt', 'previous', 'memlab'] : ['memlab', 'previous', 'leakhunt']).filter((t) => TOOLS.includes(t))
      for (const tool of order) {
        if (tool === 'leakhunt' || tool === 'previous') {
          if (tool === 'previous' && !PREVIOUS_CLI) throw new Error('TOOLS=previous needs LEAKHUNT_PREVIOUS=<a built checkout>')
          const t = timed([process.execPath, tool === 'leakhunt' ? CLI : PREVIOUS_CLI, 'analyze', ...files, '--json', '--quiet'])
          if (t.status !== 0 && t.status !== 1) throw new Error(`leakhunt analyze failed (exit ${t.status}): ${t.stderr}`)
          const report = JSON.parse(t.stdout)
          // Schema 2: growth points hold the 1000 leaked objects (999 in the array and, as the file is
          // written from running code, the newest on the stack); schema 1: a group of 1000.
          const held = (g) => (g.breakdown ? g.breakdown.filter((c) => c.name === LEAK).reduce((n, c) => n + c.count, 0) : g.name === LEAK ? g.count : 0)
          const found = report.leaks.reduce((n, g) => n + held(g), 0) === 1000
          runs[tool].push({ ...t, found, nodes: report.summary.final.nodeCount, parseMs: report.summary.parseMs, analysisMs: report.summary.analysisMs })
        } else {
          const work = fs.mkdtempSync(path.join(os.tmpdir(), 'memlab-work-'))
          const t = timed([process.execPath, '--max-old-space-size=16000', MEMLAB, 'find-leaks', '--baseline', files[0], '--target', files[1], '--final', files[2], '--trace-all-objects', '--work-dir', work])
          fs.rmSync(work, { recursive: true, force: true })
          runs.memlab.push({ ...t, found: t.stdout.includes(LEAK) })
        }
      }
    }
    const time = (tool) => stats(runs[tool].map((x) => x.ms / 1000))
    const rss = (tool) => stats(runs[tool].map((x) => x.rssMB))
    console.log(`\nThree snapshots of ${sizeMB.map((s) => s.toFixed(0)).join(' / ')} MB (known leak: 1000 × ${LEAK})`)
    if (runs.leakhunt[0]?.nodes) console.log(`  final snapshot: ${runs.leakhunt[0].nodes.toLocaleString('en')} nodes`)
    // What follows the parse (the diff, grouping, report) against the parse itself: each pass
    // added to the analysis is measured against what it follows.
    for (const tool of TOOLS.filter((t) => t !== 'memlab')) {
      const analysis = stats(runs[tool].map((x) => x.analysisMs))
      const share = stats(runs[tool].map((x) => (100 * x.analysisMs) / x.parseMs))
      console.log(`  ${tool.padEnd(8)} analysis after the parse ${fmt(analysis, 'ms', 1)} = ${fmt(share, '%', 1)} of the parse`)
    }
    for (const tool of TOOLS) {
      console.log(`  ${tool.padEnd(8)} time ${fmt(time(tool), 's', 2)}; peak RSS ${fmt(rss(tool), 'MB', 0)}; found the leak: ${runs[tool].every((x) => x.found)}${runs[tool].some((x) => x.status !== 0 && tool === 'memlab') ? ` (exit ${runs[tool].map((x) => x.status).join(',')})` : ''}`)
    }
    if (TOOLS.includes('memlab') && TOOLS.includes('leakhunt')) console.log(`  → leakhunt is ${(time('memlab').median / time('leakhunt').median).toFixed(1)}× faster, at ${((rss('leakhunt').median / rss('memlab').median) * 100).toFixed(0)} % of MemLab's peak RSS`)
    if (TOOLS.includes('previous') && TOOLS.includes('leakhunt')) console.log(`  → this leakhunt takes ${((time('leakhunt').median / time('previous').median) * 100).toFixed(0)} % of the previous one's time, at ${((rss('leakhunt').median / rss('previous').median) * 100).toFixed(0)} % of its peak RSS`)
  }
}

main()
