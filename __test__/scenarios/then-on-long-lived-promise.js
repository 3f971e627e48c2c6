'use strict'
// The same mechanism written with then(): a cleanup registered per call on a promise that
// settles only at shutdown. Each then() is a reaction kept, with the function the user wrote.
let stop
const stopped = new Promise((resolve) => {
  stop = resolve
})
class Upload {
  constructor(i) {
    this.part = i
  }
}
module.exports = {
  kind: 'leak',
  stop,
  expect: { name: /anonymous/, perCall: 1, holder: /Promise/, label: /^(stopped|the promise stop\(\) settles)$/, cause: 'pending-promise' },
  action(i) {
    const upload = new Upload(i)
    stopped.then(() => upload.part)
  },
}
