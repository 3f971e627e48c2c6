'use strict'
// One source for the report's shape: a real report from hunt() checked against the interfaces
// index.d.ts declares, in both directions. Every field the report has must be declared, and
// every field declared as always present must be there; a field added to or dropped from
// report.rs or the JS without its declaration fails here.
const { it } = require('node:test')
const assert = require('node:assert/strict')
const { EventEmitter } = require('node:events')
const { hunt } = require('..')

const { declaredInterfaces, check } = require('./helpers/declared.js')

it('a real report has exactly the fields index.d.ts declares', async () => {
  const kept = new Map()
  const bus = new EventEmitter()
  bus.setMaxListeners(0)
  class Order {}
  let n = 0
  // And two leaks in bytes: an Array of numbers, a Buffer replaced by a bigger copy.
  const latencies = []
  let log = Buffer.alloc(0)
  const report = await hunt(
    () => {
      kept.set(`order-${n++}`, new Order())
      bus.on('placed', () => {})
      latencies.push(Math.random())
      log = Buffer.concat([log, Buffer.from(`order ${n} placed\n`)])
    },
    { iterations: 20 },
  )
  const interfaces = declaredInterfaces()
  check(interfaces, 'HuntReport', report, 'report')
  check(interfaces, 'HuntSummary', report.summary, 'report.summary')
  check(interfaces, 'SourceMapUse', report.summary.sourceMaps, 'report.summary.sourceMaps')
  const points = [...report.leaks, ...report.retained]
  assert.ok(points.length > 0)
  for (const [k, point] of points.entries()) {
    const at = `point[${k}]`
    check(interfaces, 'JudgedGroup', point, at)
    check(interfaces, 'Holder', point.holder, `${at}.holder`)
    check(interfaces, 'Verdict', point.verdict, `${at}.verdict`)
    check(interfaces, 'LeakCause', point.cause, `${at}.cause`)
    for (const c of point.breakdown) check(interfaces, 'HeldClass', c, `${at}.breakdown`)
    if (point.location) check(interfaces, 'SourceLocation', point.location, `${at}.location`)
    for (const a of point.alongside || []) check(interfaces, 'SiblingGrowth', a, `${at}.alongside`)
    for (const step of [...point.retainerPath, ...point.samplePath]) check(interfaces, 'PathStep', step, `${at} path step`)
    if (point.bytesGrowth) check(interfaces, 'BytesGrowth', point.bytesGrowth, `${at}.bytesGrowth`)
  }
  assert.equal(report.leaks.filter((p) => p.bytesGrowth).length, 2, 'both leaks in bytes are there to check')
  assert.ok(report.listenerGrowth.length > 0, 'the listener growth is there to check too')
  for (const g of report.listenerGrowth) check(interfaces, 'ListenerGrowth', g, 'listenerGrowth')
})
