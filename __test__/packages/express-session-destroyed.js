'use strict'
// The same store, each session destroyed when its request is done.
const session = require('express-session-1.17.3')
const store = new session.MemoryStore()
let n = 0
module.exports = {
  package: 'express-session@1.17.3',
  kind: 'control',
  async action(i) {
    const sid = `sid-${n++}-${Math.random().toString(36).slice(2)}`
    await new Promise((resolve) => store.set(sid, { cookie: { originalMaxAge: null }, user: i }, resolve))
    await new Promise((resolve) => store.destroy(sid, resolve))
  },
}
