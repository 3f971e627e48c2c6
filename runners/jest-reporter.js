'use strict'
// reporters: ['default', 'leakhunt/jest-reporter'] — after the run, which finished test files
// stay alive and what keeps them, for files whose environment is 'leakhunt/jest-environment'.
// In band, the files' realms are in this process and are checked here. With workers, each
// worker checks the files it ran when the last file's result comes in (Jest ends its workers
// only after its reporters have taken that result), and their reports are merged here.
const sandboxes = require('../lib/sandboxes.js')
const jestWorkers = require('../lib/jest-workers.js')

class LeakhuntReporter {
  constructor(globalConfig, options = {}) {
    this.globalConfig = globalConfig
    this.options = options || {}
    this.error = undefined
    this.report = null
    // Named in the environment before Jest forks its workers, which inherit it.
    this.dir = jestWorkers.open()
    this.total = Infinity
    this.results = 0
    this.fromWorkers = null
  }

  onRunStart(results) {
    this.total = (results && results.numTotalTestSuites) || Infinity
  }

  async onTestFileResult(test, testResult, results) {
    if (++this.results < this.total || this.fromWorkers) return
    const { failedFiles } = require('../lib/jest-suite.js')
    this.fromWorkers = await jestWorkers.collect(this.dir, failedFiles(results || {}), { progress: (text) => process.stderr.write(text) })
  }

  async onRunComplete(contexts, results) {
    // Under `leakhunt jest`, which checks the run itself when Jest is done.
    if (process.env.LEAKHUNT_JEST_CLI === '1') return jestWorkers.close(this.dir)
    try {
      await this.checkRun(results)
    } finally {
      jestWorkers.close(this.dir)
    }
  }

  async checkRun(results) {
    const { failedFiles, jestDirs } = require('../lib/jest-suite.js')
    const root = (this.globalConfig && this.globalConfig.rootDir) || process.cwd()
    let report
    if (this.fromWorkers) {
      report = sandboxes.merge(this.fromWorkers.reports, root)
      if (this.fromWorkers.lost.length > 0) report.workersNotChecked = this.fromWorkers.lost
    } else {
      report = await sandboxes.check({ root, failed: failedFiles(results || {}), runnerDirs: jestDirs(root) })
    }
    this.report = report
    if (report.workersNotChecked) {
      for (const why of report.workersNotChecked) process.stderr.write(`leakhunt: ${why}\n`)
      this.error = new Error(`leakhunt: not every Jest worker could check its test files (${report.workersNotChecked[0]})`)
    }
    if (report.files === 0 && report.failedNotChecked.length === 0) {
      const why = "no test file ran in 'leakhunt/jest-environment'; set testEnvironment: 'leakhunt/jest-environment' in the Jest config"
      process.stderr.write(`leakhunt: no finished test file was checked: ${why}\n`)
      if (this.options.failWithoutCheck !== false) this.error = new Error(`leakhunt: no test file was checked (${why})`)
      return
    }
    process.stderr.write(`\n${sandboxes.format(report)}\n`)
    if (this.options.outputFile) require('node:fs').writeFileSync(this.options.outputFile, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 })
    if (this.options.htmlFile) require('node:fs').writeFileSync(this.options.htmlFile, require('../lib/html.js').renderSuiteHtml(report, { generatedAt: new Date().toISOString() }), { mode: 0o600 })
    if (report.kept.length > 0) this.error = new Error(`leakhunt: ${report.kept.length} finished test file(s) stay alive`)
  }

  getLastError() {
    return this.error
  }
}

module.exports = LeakhuntReporter
