'use strict'
// A scenario module hunted in a fresh process (lib/run-child.js): what `leakhunt run` and the
// MCP server's hunt tool do. The scenario's heap is nobody else's; its output goes where the
// caller says; an abort kills the process, which takes its hunt and its session with it.
const path = require('node:path')
const { fork } = require('node:child_process')
const { abortError } = require('./errors.js')

/**
 * Resolves to the scenario's report, or rejects with the child's error.
 * @param {string} scenario path of a module exporting action() (and setup(), teardown())
 * @param {object} options hunt()'s options (JSON: no functions)
 * @param {{ onProgress?: (p: object) => void, onOutput?: (chunk: Buffer) => void, signal?: AbortSignal }} [how]
 */
function runScenario(scenario, options, { onProgress, onOutput, signal } = {}) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) return reject(abortError(signal))
    const child = fork(path.join(__dirname, 'run-child.js'), [path.resolve(scenario), JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    })
    const forward = (chunk) => onOutput && onOutput(chunk)
    child.stdout.on('data', forward)
    child.stderr.on('data', forward)
    let settled = false
    const finish = (fn) => {
      if (settled) return
      settled = true
      if (signal) signal.removeEventListener('abort', onAbort)
      fn()
    }
    const onAbort = () => {
      child.kill('SIGKILL')
      finish(() => reject(abortError(signal)))
    }
    if (signal) signal.addEventListener('abort', onAbort, { once: true })
    child.on('message', (message) => {
      if (message.type === 'progress') {
        if (onProgress) onProgress(message.progress)
      } else if (message.type === 'report') {
        finish(() => resolve(message.report))
      } else if (message.type === 'error') {
        finish(() => reject(Object.assign(new Error(message.message), { code: message.code })))
      }
    })
    child.on('exit', (code, exitSignal) => {
      finish(() => reject(new Error(`the scenario process ended (${exitSignal || `exit code ${code}`}) before it reported`)))
    })
  })
}

module.exports = { runScenario }
