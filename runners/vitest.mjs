// leakhunt/vitest: list it in `setupFiles` (vitest.config) and every test file can write
//   await expect(() => handler()).not.toLeak({ iterations: 20 })
import { expect } from 'vitest'
import { createRequire } from 'node:module'

const { toLeak } = createRequire(import.meta.url)('../lib/matcher.js')
expect.extend({ toLeak })

export { toLeak }
