'use strict'
// Open connections kept in a Set and by id in a Map: one leak, whichever owns them.
class Connection {
  constructor(id) {
    this.id = id
    this.opened = Date.now()
  }
}
const open = new Set()
const byId = new Map()
let next = 0
module.exports = {
  kind: 'leak',
  expect: { name: 'Connection', perCall: 1, holder: /open|byId/, cause: 'collection-cache' },
  action() {
    const c = new Connection(`c${next++}`)
    open.add(c)
    byId.set(c.id, c)
  },
}
