'use strict'
// A nunjucks Environment made per render on one shared loader: each Environment adds its
// 'update' and 'load' listeners to the loader, which nothing removes. The program never held
// those listeners: the fix is one Environment.
const nunjucks = require('nunjucks-3.2.4')
const loader = new nunjucks.FileSystemLoader(__dirname)
module.exports = {
  package: 'nunjucks@3.2.4',
  kind: 'leak',
  expect: { holder: /^loader\._events\./, name: 'Environment', perCall: 1, cause: 'event-listener', hint: /one Environment/ },
  action(i) {
    const env = new nunjucks.Environment(loader)
    return env.renderString('Order {{ id }}', { id: i })
  },
}
