'use strict'
// Run in a child process: analyses kept snapshot files as `leakhunt analyze` does and prints the
// report and its text as JSON, without the timings (which differ from run to run).
// Usage: node analyze-in-child.js <baseline> <target> <final> [confirm]
const { analyzeSnapshots, formatReport } = require('../..')

async function main() {
  const [baseline, target, final, confirm] = process.argv.slice(2)
  const report = await analyzeSnapshots(baseline, target, final, confirm ? { confirm } : {})
  delete report.summary.parseMs
  delete report.summary.analysisMs
  process.stdout.write(JSON.stringify({ core: require('../../lib/binding.js').leakhuntCore.kind, report, text: formatReport(report) }))
}
main().catch((err) => {
  console.error(err)
  process.exit(1)
})
