'use strict'
// Latencies (doubles) pushed into a module-level Array on every call and never removed: V8
// keeps them unboxed in the Array's store, so no object is new, only a longer store.
const latencies = []
module.exports = {
  kind: 'leak',
  expect: { name: 'Array', reason: 'grows-in-bytes', holder: /latencies/, label: /^latencies$/, cause: 'grows-in-bytes', detail: /gains 1 number per call \(8 B per call\)/ },
  action() {
    const started = performance.now()
    latencies.push(performance.now() - started + Math.random())
  },
}
