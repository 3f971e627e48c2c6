import { test, expect } from 'vitest'
import { createRequire } from 'node:module'

const { placeOrderAudited } = createRequire(import.meta.url)('../app.js')

test('placing an audited order does not leak', async () => {
  await expect(() => placeOrderAudited()).not.toLeak({ iterations: 10 })
})
