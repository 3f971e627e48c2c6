const { itDoesNotLeak } = require('leakhunt/mocha')
const { placeOrder } = require('../app.js')

describe('orders', () => {
  itDoesNotLeak('placing an order', () => placeOrder(), { iterations: 10 })
})
