'use strict'
// express-session's MemoryStore keeps every session as a JSON string in `this.sessions`,
// keyed by id, and only drops one when it is destroyed or read after it expired: sessions
// that are created and never come back pile up (the README warns it "will leak memory").
const session = require('express-session-1.17.3')
const store = new session.MemoryStore()
let n = 0
module.exports = {
  package: 'express-session@1.17.3',
  kind: 'leak',
  expect: { holder: /^store\.sessions$/, name: '(string)', perCall: 1, cause: 'collection-cache' },
  action(i) {
    const sid = `sid-${n++}-${Math.random().toString(36).slice(2)}`
    return new Promise((resolve) => store.set(sid, { cookie: { originalMaxAge: null }, user: i }, resolve))
  },
}
