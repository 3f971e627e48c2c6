// leakhunt/jest-reporter: after a run (in band or with workers), which finished test files stay alive.
import type { SuiteReport } from '../index'

declare class LeakhuntReporter {
  /** options: `outputFile` (the SuiteReport as JSON), `htmlFile` (as a page), `failWithoutCheck` (default true). */
  constructor(globalConfig: unknown, options?: { outputFile?: string; htmlFile?: string; failWithoutCheck?: boolean })
  /** The report of the last run, once it is complete. */
  report: SuiteReport | null
  onRunStart(results: unknown): void
  onTestFileResult(test: unknown, testResult: unknown, results: unknown): Promise<void>
  onRunComplete(contexts: unknown, results: unknown): Promise<void>
  getLastError(): Error | undefined
}
export = LeakhuntReporter
