'use strict'
// Writes a heap snapshot of about the requested size: a heap of many small objects (the
// shape that makes snapshots large), linked the way application data is.
// Usage: node bench/generate.js <megabytes> <out.heapsnapshot>
//        node bench/generate.js <megabytes> --three <dir>   (baseline, target and final, with
//        1000 × BenchKnownLeak created between baseline and target: bench/scale.js uses it)
const v8 = require('node:v8')
const path = require('node:path')

const [mbArg, out, dir] = process.argv.slice(2)
const targetBytes = Number(mbArg) * 1024 * 1024
// Measured: each record below costs about 395 bytes of snapshot text.
const records = Math.round(targetBytes / 395)

class Order {
  constructor(i, customer) {
    this.id = i
    this.customer = customer
    this.lines = [{ sku: i % 1000, qty: (i % 7) + 1 }]
    this.note = i % 16 === 0 ? `note ${i}` : null
  }
}
const customers = Array.from({ length: 5000 }, (_, i) => ({ name: `customer-${i}`, orders: [] }))
globalThis.__orders = new Array(records)
for (let i = 0; i < records; i++) {
  const customer = customers[i % customers.length]
  const order = new Order(i, customer)
  customer.orders.push(order)
  globalThis.__orders[i] = order
}
if (out === '--three') {
  class BenchKnownLeak {
    constructor(i) {
      this.i = i
    }
  }
  const write = (name) => v8.writeHeapSnapshot(path.join(dir, `${name}.heapsnapshot`))
  write('baseline')
  globalThis.__leaked = Array.from({ length: 1000 }, (_, i) => new BenchKnownLeak(i))
  write('target')
  write('final')
} else {
  v8.writeHeapSnapshot(out)
}
