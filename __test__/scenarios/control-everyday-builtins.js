'use strict'
// What an everyday handler uses: URL parsing, JSON, crypto ids and hashes, Buffers, text
// encoding, a regular expression, Intl formatting, structuredClone, a timer that fires, zlib.
const crypto = require('node:crypto')
const zlib = require('node:zlib')
const { promisify } = require('node:util')
const gzip = promisify(zlib.gzip)
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' })
module.exports = {
  kind: 'control',
  async action(i) {
    const url = new URL(`https://shop.example/orders/${i}?expand=lines&page=${i % 3}`)
    const body = JSON.parse(JSON.stringify({ id: crypto.randomUUID(), path: url.pathname, page: url.searchParams.get('page') }))
    const digest = crypto.createHash('sha256').update(Buffer.from(body.id)).digest('hex')
    const encoded = new TextEncoder().encode(`${digest}:${money.format(i * 1.5)}`)
    const copy = structuredClone({ body, when: new Date(0), tags: new Set(['a', 'b']) })
    const valid = /^\/orders\/\d+$/.test(copy.body.path)
    await new Promise((resolve) => setTimeout(resolve, 1))
    const packed = await gzip(Buffer.from(encoded))
    return valid && packed.length
  },
}
