const { testDoesNotLeak } = require('leakhunt/node-test')
const { placeOrder } = require('../app.js')

testDoesNotLeak('placing an order', () => placeOrder(), { iterations: 10 })
