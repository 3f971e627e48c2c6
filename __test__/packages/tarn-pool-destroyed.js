'use strict'
// The same pool, destroyed when the request is done: its interval is cleared and it goes.
const { Pool } = require('tarn-3.0.2')
module.exports = {
  package: 'tarn@3.0.2',
  kind: 'control',
  async action(i) {
    const pool = new Pool({ create: () => ({ id: i }), destroy: () => {}, min: 0, max: 2 })
    const connection = await pool.acquire().promise
    pool.release(connection)
    await pool.destroy()
    return connection.id
  },
}
