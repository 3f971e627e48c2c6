'use strict'
// A Map exported by a module and filled by its users: named by the module it belongs to.
const categories = require('./lib/categories.js')
class Category {
  constructor(slug) {
    this.slug = slug
  }
}
let next = 0
module.exports = {
  kind: 'leak',
  expect: { name: 'Category', perCall: 1, holder: /exports/, label: /(^|\/)lib\/categories\.js exports$/, cause: 'collection-cache' },
  action() {
    const slug = `cat-${next++}`
    categories.set(slug, new Category(slug))
  },
}
