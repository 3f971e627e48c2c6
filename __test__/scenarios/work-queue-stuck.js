'use strict'
// A concurrency limit of one, as p-limit and its kind do it: a linked list of waiting tasks
// (appended at its tail, taken from its head when the running task finishes). The first task
// never finishes, so every call's task waits in the list for ever.
const queue = { head: null, tail: null }
let running = 0
const never = new Promise(() => {})
function enqueue(task) {
  const node = { task, next: null }
  if (queue.tail) queue.tail.next = node
  else queue.head = node
  queue.tail = node
}
function runNext() {
  if (running > 0 || !queue.head) return
  const { task } = queue.head
  queue.head = queue.head.next
  if (!queue.head) queue.tail = null
  running++
  task().finally(() => {
    running--
    runNext()
  })
}
module.exports = {
  kind: 'leak',
  expect: { name: 'Object', perCall: 1, holder: /queue/, cause: 'chained-value', detail: /gains an Object at its end on every call/, hint: /queue of pending work/ },
  action() {
    enqueue(() => never)
    runNext()
  },
}
