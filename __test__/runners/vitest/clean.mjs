import { test, expect } from 'vitest'
import { createRequire } from 'node:module'

const { placeOrder, startRequest, finishRequest } = createRequire(import.meta.url)('../app.js')
const { track, expectCollected } = createRequire(import.meta.url)('leakhunt')

test('placing an order does not leak', async () => {
  await expect(() => placeOrder()).not.toLeak({ iterations: 10 })
})

test('a finished request context is collected', async () => {
  finishRequest(track(startRequest(1), 'request 1'))
  await expectCollected('request 1')
})
