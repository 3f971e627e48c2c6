const { testDoesNotLeak } = require('leakhunt/node-test')
const { placeOrderAudited } = require('../app.js')

testDoesNotLeak('placing an audited order', () => placeOrderAudited(), { iterations: 10 })
