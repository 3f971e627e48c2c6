// leakhunt/node-test: leak tests for node:test.
import type { AssertNoLeaksOptions, HuntReport } from '../index'

export interface LeakTestOptions extends AssertNoLeaksOptions {
  /** The test's timeout in ms. Default 120000: a hunt takes several heap snapshots. */
  timeout?: number
}

/** A `test()` that fails with the leak report when `fn` leaks. */
export declare function testDoesNotLeak(title: string, fn: (iteration: number) => unknown, options?: LeakTestOptions): Promise<void>
/** The same as an `it()` inside `describe()`. */
export declare function itDoesNotLeak(title: string, fn: (iteration: number) => unknown, options?: LeakTestOptions): Promise<void>
export declare function assertNoLeaks(fn: (iteration: number) => unknown, options?: AssertNoLeaksOptions): Promise<HuntReport>
