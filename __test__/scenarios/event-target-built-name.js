'use strict'
// A listener per call on a long-lived EventTarget, for an event whose name is built by
// concatenation ('job:' + a queue's name): V8 keeps the Map key as a concatenated string,
// which the report reads from its parts.
const jobs = new EventTarget()
const queue = 'emails-outbound'
module.exports = {
  kind: 'leak',
  expect: { name: /onJob/, perCall: 1, holder: /kEvents/, cause: 'event-listener', detail: /'job:emails-outbound'/ },
  action(i) {
    jobs.addEventListener('job:' + queue, function onJob() {
      return i
    })
  },
}
