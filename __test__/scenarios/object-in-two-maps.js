'use strict'
// An account kept by id and by e-mail: two Maps whose keys are strings of the account. The
// e-mail Map's new objects are its keys (ConsStrings and their parts) and the accounts the id
// Map owns: one leak, the second Map named beside it, not a leak of strings.
class Account {
  constructor(id, email) {
    this.id = id
    this.email = email
  }
}
const byId = new Map()
const byEmail = new Map()
let next = 0
module.exports = {
  kind: 'leak',
  expect: { name: 'Account', perCall: 1, holder: /byId|byEmail/, cause: 'collection-cache' },
  action() {
    const n = next++
    const account = new Account(`a${n}`, `user${n}@example.com`)
    byId.set(account.id, account)
    byEmail.set(account.email, account)
  },
}
