'use strict'
// testEnvironment: 'leakhunt/jest-environment' — the project's own environment (node, jsdom or
// a custom one), with each test file's global watched, so that leakhunt can say which
// finished files stay alive and what keeps them (the reporter 'leakhunt/jest-reporter', or
// `npx leakhunt jest`). The environment it wraps: testEnvironmentOptions.leakhunt.environment
// ('node' when not given), or LEAKHUNT_JEST_ENVIRONMENT, which `leakhunt jest` sets to the
// project's configured one.
const path = require('node:path')
const { createRequire } = require('node:module')
const sandboxes = require('../lib/sandboxes.js')
const { jestDirs } = require('../lib/jest-suite.js')
const jestWorkers = require('../lib/jest-workers.js')

const SHORT = { node: 'jest-environment-node', jsdom: 'jest-environment-jsdom' }

/** The environment class a name resolves to, from the project (its rootDir) first. */
function environmentClass(name, rootDir) {
  const id = SHORT[name] || name
  const from = [rootDir, process.cwd(), __dirname].filter(Boolean)
  let resolved = null
  for (const dir of from) {
    try {
      resolved = createRequire(path.join(dir, 'package.json')).resolve(id)
      break
    } catch {
      // next place
    }
  }
  if (!resolved) throw new Error(`leakhunt/jest-environment: cannot find the test environment "${name}" from ${rootDir}; install it (npm i -D ${id}) or name another in testEnvironmentOptions.leakhunt.environment`)
  const loaded = require(resolved)
  const Env = loaded.TestEnvironment || (loaded.default && (loaded.default.TestEnvironment || loaded.default)) || loaded
  if (typeof Env !== 'function') throw new Error(`leakhunt/jest-environment: ${resolved} exports no test environment class`)
  if (Env === LeakhuntEnvironment) throw new Error('leakhunt/jest-environment cannot wrap itself: name the environment to wrap in testEnvironmentOptions.leakhunt.environment')
  return Env
}

class LeakhuntEnvironment {
  /** Returns the wrapped environment itself, its global watched and its teardown noted. */
  constructor(config, context) {
    const project = (config && config.projectConfig) || config || {}
    const options = (project.testEnvironmentOptions && project.testEnvironmentOptions.leakhunt) || {}
    const name = options.environment || process.env.LEAKHUNT_JEST_ENVIRONMENT || 'node'
    const Env = environmentClass(name, project.rootDir)
    const env = new Env(config, context)
    if (env.global) {
      const key = sandboxes.watch(env.global, context && context.testPath)
      // In a worker, this worker checks its own files when the reporter says the run is over.
      if (jestWorkers.inWorker()) {
        const root = project.rootDir || process.cwd()
        jestWorkers.join((failed) => sandboxes.check({ root, failed, runnerDirs: jestDirs(root) }))
      }
      const setup = env.setup
      env.setup = async function setupAfterCheck() {
        // A suite near its heap limit: the files finished so far are checked before this one.
        const root = project.rootDir || process.cwd()
        await sandboxes.checkIfNearHeapLimit({ root, runnerDirs: jestDirs(root) })
        return setup.call(this)
      }
      const teardown = env.teardown
      env.teardown = async function teardownWatched() {
        try {
          return await teardown.call(this)
        } finally {
          sandboxes.finished(key)
        }
      }
    }
    return env
  }
}

module.exports = LeakhuntEnvironment
module.exports.TestEnvironment = LeakhuntEnvironment
