'use strict'
// Run in a child process: hunts one scenario in a fresh heap and prints the report as JSON.
// Usage: node run-scenario.js <scenario.js> [iterations]
const path = require('node:path')
const { hunt } = require('../..')

async function main() {
  const scenario = require(path.resolve(process.argv[2]))
  const iterations = Number(process.argv[3] || 20)
  const report = await hunt(scenario.action, { iterations })
  process.stdout.write(JSON.stringify(report))
  // Scenarios may leave timers behind on purpose.
  process.exit(0)
}
main().catch((err) => {
  console.error(err)
  process.exit(1)
})
