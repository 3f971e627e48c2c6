'use strict'
// Request ids remembered on a global "for debugging".
exports.expectCause = 'global-variable'

exports.action = (i) => {
  globalThis.__recentRequestIds = globalThis.__recentRequestIds || []
  globalThis.__recentRequestIds.push(`req-${i}-${Math.random().toString(36).slice(2)}`)
}
