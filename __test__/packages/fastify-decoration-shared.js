'use strict'
// fastify@4: a request decoration given a reference value (an Array) is one Array shared by
// every request (fastify 4 warns, FSTDEP006); a route that pushes to `request.seen` grows it
// on every request. The report names it by the decoration's key, not `props[0].value`.
process.noDeprecation = true
const fastify = require('fastify-4.28.1')({ logger: false })
fastify.decorateRequest('seen', [])
fastify.get('/orders', async (request) => {
  request.seen.push({ at: Date.now(), url: request.url })
  return { ok: true }
})
const ready = fastify.ready()
module.exports = {
  package: 'fastify@4.28.1',
  kind: 'leak',
  expect: { holder: /^_Request\.props\["seen"\]$/, name: 'Object', perCall: 1, cause: 'collection-cache', hint: /props\["seen"\]/ },
  async action() {
    await ready
    await fastify.inject({ method: 'GET', url: '/orders' })
  },
}
