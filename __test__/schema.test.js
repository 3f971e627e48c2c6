'use strict'
// One source for the report's shape: a real report from hunt() checked against the interfaces
// index.d.ts declares, in both directions. Every field the report has must be declared, and
// every field declared as always present must be there; a field added to or dropped from
// report.rs or the JS without its declaration fails here.
const { it } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { EventEmitter } = require('node:events')
const { hunt } = require('..')

/** `interface Name [extends Base] { field: …; optional?: … }` of index.d.ts, as name → { required, optional }. */
function declaredInterfaces() {
  const text = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8')
  const found = new Map()
  for (const m of text.matchAll(/^export interface (\w+)(?: extends (\w+))? \{\n([\s\S]*?)^\}/gm)) {
    const fields = { required: new Set(), optional: new Set(), base: m[2] || null }
    for (const f of m[3].matchAll(/^ {2}(\w+)(\?)?:/gm)) (f[2] ? fields.optional : fields.required).add(f[1])
    found.set(m[1], fields)
  }
  return found
}

function fieldsOf(interfaces, name) {
  const own = interfaces.get(name)
  assert.ok(own, `index.d.ts declares interface ${name}`)
  const base = own.base ? fieldsOf(interfaces, own.base) : { required: new Set(), optional: new Set() }
  return { required: new Set([...base.required, ...own.required]), optional: new Set([...base.optional, ...own.optional]) }
}

function check(interfaces, name, value, where) {
  const { required, optional } = fieldsOf(interfaces, name)
  for (const key of Object.keys(value)) assert.ok(required.has(key) || optional.has(key), `${where}.${key} is not declared in ${name}`)
  for (const key of required) assert.ok(key in value, `${where} lacks ${key}, which ${name} declares`)
}

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
