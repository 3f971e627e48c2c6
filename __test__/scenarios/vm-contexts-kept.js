'use strict'
// A vm context per call (a sandbox for one template), kept in a Map: each context is a new
// global with every builtin. On Node 20 and 22, two entries, honestly: the sandboxes under the
// Map, and the contexts, which Node's native ContextifyContext keeps while its sandbox lives
// (a reference those snapshots do not show as an edge from the sandbox). Node 24 shows it:
// one entry, the Map.
const vm = require('node:vm')
const sandboxes = new Map()
let next = 0
module.exports = {
  kind: 'leak',
  expect: { name: 'vm context', perCall: 1, holder: /.*/, label: /^(vm contexts created per call|sandboxes)$/, cause: 'open-resource', hint: /reuse one context/, entries: [1, 2] },
  action() {
    const id = next++
    sandboxes.set(id, vm.createContext({ id }))
  },
}
