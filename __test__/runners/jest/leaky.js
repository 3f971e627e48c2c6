const { placeOrderAudited, startRequest, finishRequest } = require('../app.js')
const { track, expectCollected } = require('leakhunt')

test('placing an audited order does not leak', async () => {
  await expect(() => placeOrderAudited()).not.toLeak({ iterations: 10 })
})

test('a forgotten request context is collected', async () => {
  finishRequest(track(startRequest(2), 'request 2'), { forget: true })
  await expectCollected('request 2', { timeoutMs: 200 })
})
