'use strict'
// marked.use() changes marked's global options: an extension registered per call wraps the
// previous renderer of its name each time, and every wrapper stays.
const { marked } = require('marked-4.3.0')
module.exports = {
  package: 'marked@4.3.0',
  kind: 'leak',
  // Three holders grow, each by one per call: the renderer of the extension's name (each
  // wrapper keeps the one before it in its scope: a list of closures), and the inline
  // tokenizer and start lists. Three entries, each true.
  expect: { holder: /defaults\.extensions\.(renderers|inline|startInline)$/, perCall: 1, cause: 'collection-cache', maxEntries: 3 },
  action(i) {
    marked.use({ extensions: [{ name: 'mention', level: 'inline', start: (s) => s.indexOf('@'), tokenizer: () => undefined, renderer: () => `@${i}` }] })
    return marked.parse(`hello ${i}`)
  },
}
