'use strict'
// memoize used as meant: a few keys, each computed once.
const memoize = require('lodash-4.17.21/memoize')
const resolveRoute = memoize((path) => ({ path, handler: path.split('/') }))
const ROUTES = ['/orders', '/users', '/health']
module.exports = {
  package: 'lodash@4.17.21',
  kind: 'control',
  action(i) {
    return resolveRoute(ROUTES[i % ROUTES.length])
  },
}
