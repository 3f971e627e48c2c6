'use strict'
// One Environment for the process, rendering per call.
const nunjucks = require('nunjucks-3.2.4')
const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(__dirname))
module.exports = {
  package: 'nunjucks@3.2.4',
  kind: 'control',
  action(i) {
    return env.renderString('Order {{ id }}', { id: i })
  },
}
