// leakhunt/jest-reporter: after an in-band run, which finished test files stay alive.
import type { SuiteReport } from '../index'

declare class LeakhuntReporter {
  /** options: `outputFile` (the SuiteReport as JSON), `failWithoutCheck` (default true). */
  constructor(globalConfig: unknown, options?: { outputFile?: string; failWithoutCheck?: boolean })
  /** The report of the last run, once it is complete. */
  report: SuiteReport | null
  onRunComplete(contexts: unknown, results: unknown): Promise<void>
  getLastError(): Error | undefined
}
export = LeakhuntReporter
