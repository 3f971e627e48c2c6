'use strict'
// Hunts a scenario module (exports `action`) in a fresh Node process with run-scenario.js and
// resolves to its report. A hunt takes about a second; a child that hangs fails the test
// instead of the run (its stderr has the phase it was in: the runner traces its progress there).
const { execFile } = require('node:child_process')
const path = require('node:path')

const runner = path.join(__dirname, 'run-scenario.js')

/** `env`: added to this process's (NAPI_RS_FORCE_WASI for the fallback, LEAKHUNT_KEEP_SNAPSHOTS). */
function huntInChild(file, node = process.execPath, env = {}) {
  return new Promise((resolve, reject) => {
    const options = { maxBuffer: 64 << 20, timeout: 120_000, killSignal: 'SIGKILL', env: { ...process.env, ...env } }
    execFile(node, [runner, file], options, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file}: ${err.killed ? 'timed out' : err.message}\n${stderr}`))
      else resolve(JSON.parse(stdout))
    })
  })
}

module.exports = { huntInChild }
