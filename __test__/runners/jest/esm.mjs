import { createRequire } from 'node:module'
const require = createRequire(import.meta.url)
const { placeOrder, placeOrderAudited } = require('../app.js')

test('ESM: placing an order does not leak', async () => {
  await expect(() => placeOrder()).not.toLeak({ iterations: 10 })
})

test('ESM: placing an audited order does not leak', async () => {
  await expect(() => placeOrderAudited()).not.toLeak({ iterations: 10 })
})
