'use strict'
// marked.use() changes marked's global options: an extension registered per call wraps the
// previous renderer of its name each time, and every wrapper stays.
const { marked } = require('marked-4.3.0')
module.exports = {
  package: 'marked@4.3.0',
  kind: 'leak',
  // Three properties of one object grow, each by one per call: the renderer of the
  // extension's name (each wrapper keeps the one before it in its scope: a list of closures),
  // and the inline tokenizer and start lists. One leak: the lead lists the others alongside.
  expect: { holder: /defaults\.extensions\.renderers$/, perCall: 1, cause: 'chained-value', hint: /once/, alongside: [/extensions\.inline$/, /extensions\.startInline$/] },
  action(i) {
    marked.use({ extensions: [{ name: 'mention', level: 'inline', start: (s) => s.indexOf('@'), tokenizer: () => undefined, renderer: () => `@${i}` }] })
    return marked.parse(`hello ${i}`)
  },
}
