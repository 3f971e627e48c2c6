'use strict'
// The same decoration as fastify documents it: null at start, a fresh Array set per request
// in an onRequest hook, which goes with the request.
const fastify = require('fastify-4.28.1')({ logger: false })
fastify.decorateRequest('seen', null)
fastify.addHook('onRequest', async (request) => {
  request.seen = []
})
fastify.get('/orders', async (request) => {
  request.seen.push({ at: Date.now(), url: request.url })
  return { ok: true }
})
const ready = fastify.ready()
module.exports = {
  package: 'fastify@4.28.1',
  kind: 'control',
  async action() {
    await ready
    await fastify.inject({ method: 'GET', url: '/orders' })
  },
}
