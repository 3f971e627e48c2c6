'use strict'
// Run in a child process: hunts one scenario in a fresh heap and prints the report as JSON.
// Usage: node run-scenario.js <scenario.js> [iterations]
const path = require('node:path')
const { hunt } = require('../..')

async function main() {
  const scenario = require(path.resolve(process.argv[2]))
  const iterations = Number(process.argv[3] || 20)
  const started = performance.now()
  const trace = ({ phase, iteration }) => {
    if (!iteration) process.stderr.write(`${(performance.now() - started).toFixed(0)} ms: ${phase}\n`)
  }
  // LEAKHUNT_KEEP_SNAPSHOTS: a directory that keeps the hunt's snapshots, to analyse again.
  const keepSnapshots = process.env.LEAKHUNT_KEEP_SNAPSHOTS || undefined
  const report = await hunt(scenario.action, { iterations, onProgress: trace, keepSnapshots })
  // Scenarios may leave timers behind on purpose, so the process is ended by hand, but not at
  // once: on Node 24 a process.exit() right after a hunt can hang for good, with a V8 background
  // compile job waiting for a GC that the exiting main thread never runs (seen with gdb in
  // node::WorkerThreadsTaskRunner::Shutdown). A moment in the event loop lets those jobs finish.
  process.stdout.write(JSON.stringify(report), () => setTimeout(() => process.exit(0), 50))
}
main().catch((err) => {
  console.error(err)
  process.exit(1)
})
