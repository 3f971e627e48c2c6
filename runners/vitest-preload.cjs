'use strict'
// Loaded by `leakhunt vitest` into each worker of Vitest's vm pools (execArgv --require), in
// the worker's own realm, outside every test file's vm context. Test files reach it through
// `process` (Vitest gives each context the worker's process object): runners/vitest-watch.mjs
// watches each file's global here, and the run's last file has the files before it checked.
const fs = require('node:fs')
const sandboxes = require('../lib/sandboxes.js')

/** Where the Vitest that runs the files is installed (its machinery, see lib/sandboxes.js). */
function vitestDirs(root) {
  return sandboxes.runnerDirs(require('node:path').dirname(require.resolve('vitest/package.json', { paths: [root] })), root)
}

let previous = null
let count = 0

process[Symbol.for('leakhunt.vitest')] = {
  /** A file starts: the one before it has finished (Vitest ran its teardown). Its number. */
  watch(global, file) {
    if (previous) sandboxes.finished(previous)
    previous = sandboxes.watch(global, file, 'vitest')
    count += 1
    return count
  },
  /** Before a file's tests: near the heap limit, the files finished so far are checked now. */
  async beforeFile() {
    const root = process.cwd()
    await sandboxes.checkIfNearHeapLimit({ root, runnerDirs: vitestDirs(root) })
  },
  /** After the tests of file `n`: when it is the run's last, the files before it are checked. */
  async checkIfLast(n) {
    const total = Number(process.env.LEAKHUNT_VITEST_FILES || 0)
    const out = process.env.LEAKHUNT_VITEST_REPORT
    if (!out || n !== total) return
    const root = process.cwd()
    const report = await sandboxes.check({ root, runnerDirs: vitestDirs(root) })
    fs.writeFileSync(out, `${JSON.stringify(report)}\n`, { mode: 0o600 })
  },
}
