'use strict'
// A factory that keeps every instance it made on a property of itself, as some libraries do
// (`createThing.instances.push(thing)`). The shortest path to the instances passes through
// Module._cache; the holder that grows is createThing.instances.
function createThing(i) {
  const thing = new Thing(i)
  createThing.instances.push(thing)
  return thing
}
createThing.instances = []

class Thing {
  constructor(i) {
    this.i = i
  }
}

module.exports = {
  kind: 'leak',
  expect: { name: 'Thing', perCall: 1, holder: /instances/, cause: 'class-static' },
  createThing,
  action(i) {
    createThing(i)
  },
}
