'use strict'
// The demo: a small order service with a realistic leak, hunted over loopback.
//   npm run demo
// The service records every order in an "audit ledger" for a report that nobody ever prunes,
// and subscribes a listener per request to a long-lived event bus. leakhunt finds both.
const http = require('node:http')
const { EventEmitter } = require('node:events')
const { hunt, formatReport } = require('..')

// --- the service under test ------------------------------------------------------------
const orderEvents = new EventEmitter()
orderEvents.setMaxListeners(0)
const auditLedger = []

class OrderLedgerEntry {
  constructor(order, request) {
    this.orderId = order.id
    this.total = order.total
    this.userAgent = request.headers['user-agent']
    this.at = Date.now()
  }
}

function handleOrder(request, response) {
  const order = { id: Math.floor(Math.random() * 1e9), total: 42.5, lines: [{ sku: 'A-1', qty: 2 }] }
  auditLedger.push(new OrderLedgerEntry(order, request)) // the leak: never pruned
  orderEvents.on('shipped', function notifyCustomer(id) {
    // the second leak: one listener per request, never removed
    if (id === order.id) console.log(`order ${order.id} shipped`)
  })
  response.setHeader('content-type', 'application/json')
  response.end(JSON.stringify({ ok: true, id: order.id }))
}

// --- the hunt ------------------------------------------------------------------------------
async function main() {
  const server = http.createServer((req, res) => (req.url === '/orders' ? handleOrder(req, res) : res.end('not found')))
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const placeOrder = () =>
    new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/orders', agent }, (res) => {
          res.resume()
          res.on('end', resolve)
        })
        .on('error', reject)
    })

  console.log(`Order service on http://127.0.0.1:${port}/orders — hunting for leaks over 20 requests…\n`)
  const report = await hunt(placeOrder, {
    iterations: 20,
    onProgress: ({ phase }) => process.stderr.isTTY && process.stderr.write(`\r${phase.padEnd(24)}`),
  })
  if (process.stderr.isTTY) process.stderr.write('\r'.padEnd(26) + '\r')
  console.log(formatReport(report))
  agent.destroy()
  server.close()
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
