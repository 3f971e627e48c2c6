'use strict'
// A Jest run with workers: each test file's realm lives and dies in the worker that ran it, so
// each worker checks its own finished files, and the reporter, in Jest's own process, merges
// what they found. The reporter makes a private directory and names it in the environment
// before Jest forks its workers. A worker's environment says there that it runs files, then
// waits, unreferenced, for the word that the run is over. Jest awaits its reporters'
// onTestFileResult before it ends the workers, so when the last file's result comes in, the
// reporter writes `done` (with the files whose tests failed, which are not checked) and waits
// while each worker, idle by then with every file of the run finished, checks its files and
// writes its report.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { isMainThread, threadId } = require('node:worker_threads')

const DIR = 'LEAKHUNT_JEST_WORKERS'
const PARENT = 'LEAKHUNT_JEST_PARENT'

const STATE = Symbol.for('leakhunt.jestWorkers')
const state = (globalThis[STATE] ||= { joined: false })

/** This process's (or worker thread's) name in the directory. */
const selfId = () => (isMainThread ? String(process.pid) : `${process.pid}-${threadId}`)

/** Reporter side: the private directory, named in the environment the workers inherit. */
function open() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-jest-')) // 0700
  process.env[DIR] = dir
  process.env[PARENT] = String(process.pid)
  return dir
}

/** Reporter side: the directory and the variables go; a worker reads nothing after the run. */
function close(dir) {
  if (process.env[DIR] === dir) {
    delete process.env[DIR]
    delete process.env[PARENT]
  }
  fs.rmSync(dir, { recursive: true, force: true })
}

/** Environment side: whether this file runs in a worker of a run whose reporter waits for it. */
function inWorker() {
  const dir = process.env[DIR]
  return Boolean(dir && process.env[PARENT] && (process.env[PARENT] !== String(process.pid) || !isMainThread) && fs.existsSync(dir))
}

/**
 * Environment side, once per worker: says it runs files, and when the run is over checks them
 * with `check(failed)` and writes what it found.
 * @param {(failed: string[]) => Promise<object>} check
 */
function join(check) {
  if (state.joined) return
  state.joined = true
  const dir = process.env[DIR]
  const id = selfId()
  fs.writeFileSync(path.join(dir, `${id}.started`), '', { mode: 0o600 })
  const poll = setInterval(() => {
    let done
    try {
      done = JSON.parse(fs.readFileSync(path.join(dir, 'done'), 'utf8'))
    } catch {
      return // not yet (or being written)
    }
    clearInterval(poll)
    check(done.failed || []).then(
      (report) => writeAtomically(path.join(dir, `${id}.json`), JSON.stringify({ report })),
      (err) => writeAtomically(path.join(dir, `${id}.json`), JSON.stringify({ error: `${err && err.code ? `${err.code}: ` : ''}${err && err.message}` })),
    )
  }, 50)
  poll.unref()
}

function writeAtomically(file, text) {
  try {
    fs.writeFileSync(`${file}.tmp`, text, { mode: 0o600 })
    fs.renameSync(`${file}.tmp`, file)
  } catch {
    // the reporter gave up on this worker and removed the directory
  }
}

const alive = (id) => {
  try {
    process.kill(Number(id.split('-')[0]), 0)
    return true
  } catch (err) {
    return err.code === 'EPERM'
  }
}

/**
 * Reporter side, when the last file's result is in: null when no worker ran a file (the run
 * was in band); otherwise each worker's report, and the workers that could not give one.
 * @param {string} dir
 * @param {string[]} failed  files whose tests failed
 * @param {{ progress?: (text: string) => void, timeoutMs?: number }} [options]
 */
async function collect(dir, failed, { progress = () => {}, timeoutMs = 15 * 60_000 } = {}) {
  const ids = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.started'))
    .map((f) => f.slice(0, -'.started'.length))
  if (ids.length === 0) return null
  writeAtomically(path.join(dir, 'done'), JSON.stringify({ failed }))
  progress(`leakhunt: checking the finished test files in ${ids.length} Jest worker${ids.length === 1 ? '' : 's'}…\n`)
  const reports = []
  const lost = []
  const waiting = new Set(ids)
  const until = Date.now() + timeoutMs
  while (waiting.size > 0) {
    for (const id of [...waiting]) {
      const file = path.join(dir, `${id}.json`)
      if (fs.existsSync(file)) {
        const answer = JSON.parse(fs.readFileSync(file, 'utf8'))
        if (answer.report) reports.push(answer.report)
        else lost.push(`a worker's check failed: ${answer.error}`)
        waiting.delete(id)
      } else if (!alive(id)) {
        lost.push('a worker exited before the end of the run (Jest restarts a worker past workerIdleMemoryLimit): the files it ran were not checked')
        waiting.delete(id)
      }
    }
    if (waiting.size === 0) break
    if (Date.now() > until) {
      lost.push(`${waiting.size} worker(s) did not finish the check in ${Math.round(timeoutMs / 60_000)} minutes`)
      break
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return { reports, lost }
}

module.exports = { open, close, inWorker, join, collect }
