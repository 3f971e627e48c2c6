'use strict'
// The extension registered once, marked.parse() per call.
const { marked } = require('marked-4.3.0')
marked.use({ extensions: [{ name: 'mention', level: 'inline', start: (s) => s.indexOf('@'), tokenizer: () => undefined, renderer: () => '@' }] })
module.exports = {
  package: 'marked@4.3.0',
  kind: 'control',
  action(i) {
    return marked.parse(`hello ${i}`)
  },
}
