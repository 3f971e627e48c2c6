'use strict'
// The code under test of the runner fixtures: an order handler, clean and leaky.
class Order {
  constructor(id) {
    this.id = id
    this.lines = [{ sku: 'sku-1', quantity: 1 }]
  }
}

class AuditEntry {
  constructor(order) {
    this.orderId = order.id
    this.lineCount = order.lines.length
  }
}

// Module state, as services keep it.
const auditTrail = []
let nextId = 1

/** Creates an order and lets it go: nothing survives the call. */
function placeOrder() {
  const order = new Order(nextId++)
  return order.lines.length
}

/** The same, plus an audit entry appended to a module-level array that nobody trims. */
function placeOrderAudited() {
  const order = new Order(nextId++)
  auditTrail.push(new AuditEntry(order))
  return order.lines.length
}

class RequestContext {
  constructor(id) {
    this.id = id
  }
}

// Contexts of requests in flight; `finish` should delete them.
const inFlight = new Map()

function startRequest(id) {
  const ctx = new RequestContext(id)
  inFlight.set(id, ctx)
  return ctx
}

function finishRequest(ctx, { forget = false } = {}) {
  if (!forget) inFlight.delete(ctx.id)
}

module.exports = { placeOrder, placeOrderAudited, startRequest, finishRequest }
