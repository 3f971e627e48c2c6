'use strict'
// `leakhunt jest` on a generated suite of 200 test files against plain `jest --runInBand` on
// the same suite, in the same run: the ratio of wall times, and what the check itself took
// (GCs, the one heap snapshot, the analysis). Two suites: one whose files all stay alive
// (graceful-fs 4.1.15 replaces fs's classes in every file), one whose files all go.
// Usage: node bench/suite.js [files] [runs]   (defaults 200, 3)
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const FILES = Number(process.argv[2] || 200)
const RUNS = Number(process.argv[3] || 3)
const ROOT = path.join(__dirname, '..')
const CLI = path.join(ROOT, 'bin', 'leakhunt.js')
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

function project(name, version) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `leakhunt-bench-suite-${name}-`))
  fs.mkdirSync(path.join(dir, 'node_modules'))
  for (const p of ['jest', 'jest-environment-node', `graceful-fs-${version}`]) fs.symlinkSync(path.join(ROOT, 'node_modules', p), path.join(dir, 'node_modules', p), 'dir')
  fs.mkdirSync(path.join(dir, 'tests'))
  for (let i = 0; i < FILES; i++) {
    fs.writeFileSync(
      path.join(dir, 'tests', `file${String(i).padStart(3, '0')}.test.js`),
      `const gfs = require('graceful-fs-${version}')
const rows = Array.from({ length: 2000 }, (_, k) => ({ id: k, name: 'row ' + k }))
describe('file ${i}', () => {
  test('reads', () => new Promise((resolve) => gfs.readFile(__filename, 'utf8', (err, text) => { expect(err).toBeNull(); expect(text.length).toBeGreaterThan(0); resolve() })))
  test('counts', () => { expect(rows.filter((r) => r.id % 2).length).toBe(1000) })
})
`,
    )
  }
  const config = { rootDir: dir, roots: ['<rootDir>/tests'], cacheDirectory: path.join(dir, '.jest-cache') }
  fs.writeFileSync(path.join(dir, 'jest.config.js'), `module.exports = ${JSON.stringify(config)}\n`)
  return dir
}

function timed(dir, args) {
  const env = { ...process.env, NO_COLOR: '1', NODE_OPTIONS: '' }
  const t0 = performance.now()
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', env, maxBuffer: 64 << 20 })
  const ms = performance.now() - t0
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`)
  return ms
}

const results = []
for (const [name, version] of [
  ['kept', '4.1.15'],
  ['released', '4.2.11'],
]) {
  const dir = project(name, version)
  try {
    const jest = path.join(dir, 'node_modules', 'jest', 'bin', 'jest.js')
    timed(dir, [jest, '--config', 'jest.config.js', '--runInBand', '--silent']) // warms Jest's cache
    const plain = []
    const hunted = []
    const reports = []
    for (let r = 0; r < RUNS; r++) {
      plain.push(timed(dir, [jest, '--config', 'jest.config.js', '--runInBand', '--silent']))
      const json = path.join(dir, `report-${r}.json`)
      hunted.push(timed(dir, [CLI, 'jest', '--quiet', '--json', json, '--', '--config', 'jest.config.js', '--silent']))
      reports.push(JSON.parse(fs.readFileSync(json, 'utf8')))
    }
    const report = reports[reports.length - 1]
    results.push({
      suite: name,
      files: FILES,
      kept: report.kept.length,
      plainMs: median(plain),
      leakhuntMs: median(hunted),
      ratio: median(hunted) / median(plain),
      checkMs: median(reports.map((x) => x.totalMs)),
      snapshotMs: median(reports.map((x) => x.snapshotMs)),
      analysisMs: median(reports.map((x) => x.analysisMs)),
      heapUsedMB: report.heapUsed / 1e6,
    })
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
console.log(`Node ${process.version}, ${FILES} test files, medians of ${RUNS}`)
console.log('suite     kept  jest --runInBand  leakhunt jest  ratio  check  (snapshot  analysis)  heap')
for (const r of results) {
  console.log(
    `${r.suite.padEnd(9)} ${String(r.kept).padStart(4)}  ${(r.plainMs / 1000).toFixed(2).padStart(14)} s  ${(r.leakhuntMs / 1000).toFixed(2).padStart(11)} s  ${r.ratio.toFixed(2).padStart(4)}×  ${(r.checkMs / 1000).toFixed(2)} s  (${(r.snapshotMs / 1000).toFixed(2)} s  ${(r.analysisMs / 1000).toFixed(2)} s)  ${r.heapUsedMB.toFixed(0)} MB`,
  )
}
