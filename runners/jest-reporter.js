'use strict'
// reporters: ['default', 'leakhunt/jest-reporter'] — after the run, which finished test files
// stay alive and what keeps them, for files whose environment is 'leakhunt/jest-environment'.
// The files must run in this process (--runInBand, or one test file), where their realms are:
// a worker's realms die with the worker, and a run with workers is said so, not passed.
const sandboxes = require('../lib/sandboxes.js')

class LeakhuntReporter {
  constructor(globalConfig, options = {}) {
    this.globalConfig = globalConfig
    this.options = options || {}
    this.error = undefined
    this.report = null
  }

  async onRunComplete(contexts, results) {
    const { failedFiles, jestDirs } = require('../lib/jest-suite.js')
    const root = (this.globalConfig && this.globalConfig.rootDir) || process.cwd()
    const report = await sandboxes.check({ root, failed: failedFiles(results || {}), runnerDirs: jestDirs(root) })
    this.report = report
    if (report.files === 0 && report.failedNotChecked.length === 0) {
      const why =
        this.globalConfig && this.globalConfig.maxWorkers > 1 && !this.globalConfig.runInBand
          ? 'the test files ran in worker processes; run jest with --runInBand (or npx leakhunt jest) for the check'
          : "no test file ran in 'leakhunt/jest-environment'; set testEnvironment: 'leakhunt/jest-environment' in the Jest config"
      process.stderr.write(`leakhunt: no finished test file was checked: ${why}\n`)
      if (this.options.failWithoutCheck !== false) this.error = new Error(`leakhunt: no test file was checked (${why})`)
      return
    }
    process.stderr.write(`\n${sandboxes.format(report)}\n`)
    if (this.options.outputFile) require('node:fs').writeFileSync(this.options.outputFile, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 })
    if (report.kept.length > 0) this.error = new Error(`leakhunt: ${report.kept.length} finished test file(s) stay alive`)
  }

  getLastError() {
    return this.error
  }
}

module.exports = LeakhuntReporter
