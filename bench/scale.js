'use strict'
// Scale: three snapshots beyond 2^24 nodes and beyond 1 GB each (the size at which MemLab's
// users report out-of-memory), analysed by `leakhunt analyze`; prints wall time, peak RSS
// against the file size, the node count and whether the known leak was found.
// Writing the snapshots takes V8 about 5 minutes and 12 GB of memory; they are kept in
// bench/out/scale-<MB>/ for further runs. Not part of CI.
// Usage: node bench/scale.js [megabytes per snapshot, default 1700]
const { execFileSync, spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const mb = Number(process.argv[2] || 1700)
const dir = path.join(__dirname, 'out', `scale-${mb}`)
const files = ['baseline', 'target', 'final'].map((n) => path.join(dir, `${n}.heapsnapshot`))
fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
if (!files.every((f) => fs.existsSync(f))) {
  console.log(`writing three snapshots of ~${mb} MB into ${path.relative(process.cwd(), dir)} …`)
  execFileSync(process.execPath, ['--max-old-space-size=16000', path.join(__dirname, 'generate.js'), String(mb), '--three', dir], { stdio: 'inherit' })
}
const sizes = files.map((f) => fs.statSync(f).size)
console.log(`machine: ${os.cpus().length} × ${os.cpus()[0].model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}`)
console.log(`snapshots: ${sizes.map((s) => (s / 1e6).toFixed(0)).join(' / ')} MB`)
const started = performance.now()
const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, path.join(__dirname, '..', 'bin', 'leakhunt.js'), 'analyze', ...files, '--json', '--quiet'], {
  encoding: 'utf8',
  maxBuffer: 1 << 28,
})
const seconds = (performance.now() - started) / 1000
if (r.status !== 0 && r.status !== 1) throw new Error(`leakhunt analyze failed (exit ${r.status}): ${r.stderr}`)
const rssMB = (Number(r.stderr.trim().split('\n').pop()) * 1024) / 1e6
const report = JSON.parse(r.stdout)
const s = report.summary
const found = report.leaks.some((g) => g.name === 'BenchKnownLeak' && g.count === 1000)
console.log(`final snapshot: ${s.final.nodeCount.toLocaleString('en')} nodes (2^24 = ${(2 ** 24).toLocaleString('en')}), ${s.final.edgeCount.toLocaleString('en')} edges`)
console.log(`leakhunt analyze: ${seconds.toFixed(2)} s, peak RSS ${rssMB.toFixed(0)} MB = ${((rssMB * 1e6) / sizes[2]).toFixed(2)}× the final file; found the known leak: ${found}`)
