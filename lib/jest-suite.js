'use strict'
// `leakhunt jest [options] -- [jest options]`: the project's own Jest, its config and its
// transforms, run in this process (in band) with each test file's environment watched
// (runners/jest-environment.js wraps the one the project configured); then which finished
// files stay alive and what keeps them (lib/sandboxes.js).
const fs = require('node:fs')
const path = require('node:path')
const sandboxes = require('./sandboxes.js')
const { codedError } = require('./errors.js')

const OWN_ENVIRONMENT = require.resolve('../runners/jest-environment.js')

/** The project's Jest: its entry module and jest-config, as its own jest-cli resolves them. */
function projectJest(dir) {
  let entry
  try {
    entry = require.resolve('jest', { paths: [dir] })
  } catch {
    throw codedError('ERR_LEAKHUNT_NO_RUNNER', `no Jest in ${dir}: install it in the project (npm i -D jest) and run leakhunt jest there`)
  }
  const jest = require(entry)
  const cli = path.dirname(require.resolve('jest-cli/package.json', { paths: [path.dirname(entry)] }))
  const config = require(require.resolve('jest-config', { paths: [cli] }))
  // Jest 30 exports buildArgv; Jest 29 parses its command line inside jest-cli, with yargs and
  // the options jest-cli exports, as done here.
  if (typeof jest.buildArgv !== 'function') {
    const { yargsOptions } = require(require.resolve('jest-cli', { paths: [path.dirname(entry)] }))
    const yargs = require(require.resolve('yargs', { paths: [cli] }))
    if (yargsOptions && typeof yargs === 'function') {
      jest.buildArgv = async (args) => {
        const argv = await yargs(args).options(yargsOptions).strict().fail((message) => {
          throw codedError('ERR_LEAKHUNT_RUNNER_USAGE', `Jest: ${message}`)
        }).argv
        return Object.fromEntries(Object.entries(argv).filter(([key]) => !key.includes('-')))
      }
    }
  }
  const { version } = JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve('jest/package.json', { paths: [dir] })), 'package.json'), 'utf8'))
  if (typeof jest.runCLI !== 'function' || typeof jest.buildArgv !== 'function' || typeof config.readConfig !== 'function') {
    throw codedError('ERR_LEAKHUNT_NO_RUNNER', `the Jest in ${dir} (${version}) has no runCLI/buildArgv/readConfig; leakhunt jest needs Jest 29 or later`)
  }
  return { jest, config, version }
}

/**
 * Runs the suite and checks it. Resolves to { report }: the sandboxes report, with whether
 * the suite's tests passed.
 * @param {string[]} jestArgs  arguments for Jest, as on its command line
 * @param {{ cwd?: string, progress?: (line: string) => void }} [options]
 */
async function runJest(jestArgs, { cwd = process.cwd(), progress = () => {} } = {}) {
  const { jest, config, version } = projectJest(cwd)
  const argv = await jest.buildArgv(jestArgs)
  const { projectConfig } = await config.readConfig(argv, cwd)
  // The project's own environment goes inside ours, unless it is ours already.
  const configured = projectConfig.testEnvironment
  if (configured && configured !== OWN_ENVIRONMENT && !/leakhunt[\\/]runners[\\/]jest-environment\.js$/.test(configured)) {
    process.env.LEAKHUNT_JEST_ENVIRONMENT = configured
    argv.testEnvironment = OWN_ENVIRONMENT
  }
  argv.runInBand = true
  // A project whose config names leakhunt's reporter too: the check is ours, once.
  process.env.LEAKHUNT_JEST_CLI = '1'
  progress(`leakhunt: running Jest ${version} in band, each test file's sandbox watched`)
  const projects = Array.isArray(argv.projects) && argv.projects.length > 0 ? argv.projects : [cwd]
  let { results } = await jest.runCLI(argv, projects)
  const success = results.success
  const failed = failedFiles(results)
  results = null // its failures' errors would keep their files alive while they are checked
  progress('leakhunt: the suite is done; collecting garbage and checking which finished test files stay alive')
  const report = await sandboxes.check({ root: cwd, failed, runnerDirs: jestDirs(cwd) })
  report.jest = version
  report.testsFailed = !success
  return { report }
}

/** Where the Jest a project runs is installed (its machinery: see lib/sandboxes.js); none if not found. */
function jestDirs(root) {
  try {
    return sandboxes.runnerDirs(path.dirname(require.resolve('jest/package.json', { paths: [root, __dirname] })), root)
  } catch {
    return []
  }
}

/** The test files with a failing test or that failed to run, from Jest's aggregated results. */
function failedFiles(results) {
  return (results.testResults || []).filter((r) => r.numFailingTests > 0 || r.testExecError || r.failureMessage).map((r) => r.testFilePath)
}

module.exports = { runJest, failedFiles, jestDirs }
