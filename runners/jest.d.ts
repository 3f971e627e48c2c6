// leakhunt/jest: `toLeak` on Jest's `expect` (both the global one and @jest/globals').
import type { AssertNoLeaksOptions } from '../index'

declare module 'expect' {
  interface Matchers<R extends void | Promise<void>, T = unknown> {
    /**
     * Hunts the received function (it runs the suspect code once per call). Use as
     * `await expect(() => handler()).not.toLeak({ iterations: 20 })`; on failure the message is
     * the leak report.
     */
    toLeak(options?: AssertNoLeaksOptions): Promise<R>
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R, T = {}> {
      toLeak(options?: AssertNoLeaksOptions): Promise<R>
    }
  }
}

export declare const toLeak: (this: unknown, received: () => unknown, options?: AssertNoLeaksOptions) => Promise<{ pass: boolean; message: () => string }>
