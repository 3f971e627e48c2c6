const { itDoesNotLeak } = require('leakhunt/mocha')
const { placeOrderAudited } = require('../app.js')

describe('orders', () => {
  itDoesNotLeak('placing an audited order', () => placeOrderAudited(), { iterations: 10 })
})
