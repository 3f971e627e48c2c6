'use strict'
// Immutable state: each call copies the state with a spread and keeps the old state as its
// history. The field's type widens from null to an object, so V8 replaces the objects' hidden
// class on the way: one shape by their properties, whatever their maps.
let state = { count: 0, history: null }
module.exports = {
  kind: 'leak',
  expect: { name: 'Object', perCall: 1, holder: /state/, label: /^state$/, cause: 'module-variable' },
  action() {
    state = { ...state, count: state.count + 1, history: state }
  },
}
