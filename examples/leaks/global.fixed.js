'use strict'
// The fix: keep only the last few, in a module-level ring instead of a global.
const recent = new Array(8).fill(null)
let next = 0

exports.action = (i) => {
  recent[next++ % recent.length] = `req-${i}-${Math.random().toString(36).slice(2)}`
}
