// leakhunt/mocha: leak tests in Mocha's BDD style.
import type { AssertNoLeaksOptions, HuntReport } from '../index'

export interface LeakTestOptions extends AssertNoLeaksOptions {
  /** The test's timeout in ms. Default 120000: a hunt takes several heap snapshots. */
  timeout?: number
}

/** An `it()` that fails with the leak report when `fn` leaks. Returns Mocha's Test. */
export declare const itDoesNotLeak: {
  (title: string, fn: (iteration: number) => unknown, options?: LeakTestOptions): unknown
  only(title: string, fn: (iteration: number) => unknown, options?: LeakTestOptions): unknown
  skip(title: string, fn: (iteration: number) => unknown, options?: LeakTestOptions): unknown
}

export declare function assertNoLeaks(fn: (iteration: number) => unknown, options?: AssertNoLeaksOptions): Promise<HuntReport>
