'use strict'
// A class static array used as a registry.
class PluginRegistry {
  static registered = []
}
class PluginHandle {
  constructor(i) {
    this.i = i
  }
}
module.exports = {
  kind: 'leak',
  expect: { name: 'PluginHandle', perCall: 1, holder: /registered/, cause: 'class-static' },
  action(i) {
    PluginRegistry.registered.push(new PluginHandle(i))
  },
}
