'use strict'
// Samples kept in a Float64Array that is copied into a longer one on every call, as a class
// property of a long-lived object.
class Recorder {
  constructor() {
    this.samples = new Float64Array(0)
  }
  record(value) {
    const longer = new Float64Array(this.samples.length + 16)
    longer.set(this.samples)
    longer[this.samples.length] = value
    this.samples = longer
  }
}
const recorder = new Recorder()
module.exports = {
  kind: 'leak',
  expect: { name: 'Float64Array', reason: 'grows-in-bytes', holder: /recorder/, label: /^recorder\.samples$/, cause: 'grows-in-bytes', detail: /grows by 128 B per call/ },
  action() {
    recorder.record(Math.random())
  },
}
