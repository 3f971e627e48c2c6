'use strict'
// Caches keyed weakly: WeakMap values and WeakRef targets go when their keys/targets do.
const metadata = new WeakMap()
const recent = []
class Metadata {
  constructor(i) {
    this.i = i
  }
}
module.exports = {
  kind: 'control',
  action(i) {
    const request = { i }
    metadata.set(request, new Metadata(i))
    recent.length = 0
    recent.push(new WeakRef(new Metadata(i)))
  },
}
