'use strict'
// One measurement in a fresh process, so peak RSS belongs to that operation alone.
// Prints one JSON line. Usage: node bench/measure.js <json-parse|read|read+summary> <file>
const fs = require('node:fs')

async function main() {
  const [what, file] = process.argv.slice(2)
  const started = process.hrtime.bigint()
  const ms = () => Number(process.hrtime.bigint() - started) / 1e6
  const out = { what }
  if (what === 'json-parse') {
    try {
      const snapshot = JSON.parse(fs.readFileSync(file, 'utf8'))
      out.ms = ms()
      out.nodeCount = snapshot.snapshot.node_count
    } catch (err) {
      out.error = err.message
    }
  } else if (what === 'read' || what === 'read+summary') {
    const { readSnapshot } = require('..')
    const snapshot = await readSnapshot(file)
    out.ms = ms()
    out.nodeCount = snapshot.nodeCount
    if (what === 'read+summary') {
      const t = process.hrtime.bigint()
      await snapshot.summary()
      out.summaryMs = Number(process.hrtime.bigint() - t) / 1e6
    }
    out.heapUsed = process.memoryUsage().heapUsed
  }
  out.maxRss = process.resourceUsage().maxRSS * 1024
  console.log(JSON.stringify(out))
}
main()
