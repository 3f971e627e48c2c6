// A setup file `leakhunt vitest` adds to the run: inside each test file's vm context, it hands
// the file's global to the worker's watcher (runners/vitest-preload.cjs), and after the file's
// tests asks it to check the files before, should this be the run's last.
import { afterAll } from 'vitest'

const hook = process[Symbol.for('leakhunt.vitest')]
if (hook) {
  const state = globalThis.__vitest_worker__
  const n = hook.watch(globalThis, state && state.filepath)
  await hook.beforeFile()
  // A heap snapshot of a large suite takes a while.
  afterAll(() => hook.checkIfLast(n), 600_000)
}
