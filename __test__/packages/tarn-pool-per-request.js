'use strict'
// A tarn pool made per request (as a handler that opens its own pool does): each pool arms a
// reaping interval on its first acquire, which keeps the pool and its resources until
// destroy(). The pool also holds promises of its own: not an awaitable timer.
const { Pool } = require('tarn-3.0.2')
module.exports = {
  package: 'tarn@3.0.2',
  kind: 'leak',
  expect: { holder: /^timers armed per call/, name: 'Pool', perCall: 1, cause: 'timer', hint: /Pool\.prototype\.destroy\(\)/ },
  async action(i) {
    const pool = new Pool({ create: () => ({ id: i }), destroy: () => {}, min: 0, max: 2 })
    const connection = await pool.acquire().promise
    pool.release(connection)
    return connection.id
  },
}
