// leakhunt/vitest: `toLeak` on Vitest's `expect`.
import type { AssertNoLeaksOptions } from '../index'

declare module 'vitest' {
  interface Assertion<T = any> {
    /** `await expect(() => handler()).not.toLeak({ iterations: 20 })`; on failure the message is the leak report. */
    toLeak(options?: AssertNoLeaksOptions): Promise<void>
  }
  interface AsymmetricMatchersContaining {
    toLeak(options?: AssertNoLeaksOptions): void
  }
}

export declare const toLeak: (this: unknown, received: () => unknown, options?: AssertNoLeaksOptions) => Promise<{ pass: boolean; message: () => string }>
