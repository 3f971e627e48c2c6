'use strict'
// The interfaces index.d.ts declares, and a check of a real value against one of them in both
// directions: every field the value has is declared, every field declared as always present
// is there.
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')

/** `interface Name [extends Base] { field: …; optional?: … }` of index.d.ts, as name → { required, optional }. */
function declaredInterfaces() {
  const text = fs.readFileSync(path.join(__dirname, '..', '..', 'index.d.ts'), 'utf8')
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

module.exports = { declaredInterfaces, fieldsOf, check }
