'use strict'
// attach() against hunt() in-process on the same heap, measured in the same run (alternating,
// fresh processes): the same leak (one object kept per call), 20 calls, the second round. The
// in-process hunt runs in bench/hunt-child.js; the attach hunt drives bench/attach-target.js
// (the same heap, started with --inspect) from this process with `eval: 'leakOnce()'`.
// Usage: node bench/attach.js [MB ...]   (default 20 100); RUNS=N (default 3)
const { execFileSync, spawn } = require('node:child_process')
const os = require('node:os')
const path = require('node:path')
const { attach } = require('..')

const sizes = process.argv.slice(2).map(Number)
if (sizes.length === 0) sizes.push(20, 100)
const RUNS = Number(process.env.RUNS || 3)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

function inProcess(mb) {
  const out = JSON.parse(execFileSync(process.execPath, [path.join(__dirname, 'hunt-child.js'), String(mb), 'hunt'], { encoding: 'utf8' }))
  return { ms: out.ms, found: out.found, phasesMs: out.phasesMs }
}

async function attached(mb) {
  const target = spawn(process.execPath, ['--inspect=127.0.0.1:0', path.join(__dirname, 'attach-target.js'), String(mb)], { stdio: ['ignore', 'pipe', 'pipe'] })
  try {
    const address = await new Promise((resolve, reject) => {
      let out = ''
      let err = ''
      const check = () => {
        const found = /ws:\/\/(127\.0\.0\.1:\d+)\//.exec(err)
        if (found && out.includes('ready')) resolve(found[1])
      }
      target.stdout.on('data', (d) => {
        out += d
        check()
      })
      target.stderr.on('data', (d) => {
        err += d
        check()
      })
      target.on('exit', (code) => reject(new Error(`the target exited (${code}): ${err}`)))
    })
    const t0 = performance.now()
    const report = await attach(address, { eval: 'leakOnce()', iterations: 20 })
    const ms = performance.now() - t0
    return { ms, found: report.leaks.some((g) => g.name === 'Object' && g.leadingCount === 20), phasesMs: report.summary.phasesMs }
  } finally {
    target.kill('SIGKILL')
  }
}

async function main() {
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0].model}; Node ${process.version}`)
  for (const mb of sizes) {
    const runs = { inProcess: [], attach: [] }
    for (let r = 0; r < RUNS; r++) {
      // Alternate which goes first (the machine warms up).
      if (r % 2 === 0) {
        runs.inProcess.push(inProcess(mb))
        runs.attach.push(await attached(mb))
      } else {
        runs.attach.push(await attached(mb))
        runs.inProcess.push(inProcess(mb))
      }
    }
    const secs = (xs) => xs.map((x) => (x.ms / 1000).toFixed(2)).join(', ')
    const base = median(runs.inProcess.map((x) => x.ms))
    const ms = median(runs.attach.map((x) => x.ms))
    const snapshotMs = (xs) => median(xs.map((x) => Object.entries(x.phasesMs).filter(([k]) => k.startsWith('snapshot:')).reduce((a, [, v]) => a + v, 0)))
    console.log(`\n~${mb} MB heap, a leak of one object per call, 20 calls and the second round`)
    console.log(`  hunt() in-process: median ${(base / 1000).toFixed(2)} s (${secs(runs.inProcess)}), verdict right: ${runs.inProcess.every((x) => x.found)}; snapshots ${(snapshotMs(runs.inProcess) / 1000).toFixed(2)} s`)
    console.log(`  attach():          median ${(ms / 1000).toFixed(2)} s (${secs(runs.attach)}), verdict right: ${runs.attach.every((x) => x.found)}; snapshots ${(snapshotMs(runs.attach) / 1000).toFixed(2)} s`)
    console.log(`  ratio: ${(ms / base).toFixed(2)}× the in-process hunt`)
    const phase = (xs, k) => (median(xs.map((x) => x.phasesMs[k] || 0)) / 1000).toFixed(2)
    const phases = Object.keys(runs.attach[0].phasesMs).filter((k) => k !== 'sourceMaps')
    console.log(`  by phase (in-process / attach, s): ${phases.map((k) => `${k} ${phase(runs.inProcess, k)} / ${phase(runs.attach, k)}`).join(', ')}`)
  }
}
main().catch((err) => {
  console.error(err)
  process.exit(1)
})
