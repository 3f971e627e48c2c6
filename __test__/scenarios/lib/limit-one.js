'use strict'
// A concurrency limit of one, as p-limit and its kind do it: a linked list of waiting tasks,
// appended at its tail and taken from its head when the running task settles.
function limitOne() {
  const queue = { head: null, tail: null }
  let running = 0
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
  return function limit(task) {
    const node = { task, next: null }
    if (queue.tail) queue.tail.next = node
    else queue.head = node
    queue.tail = node
    runNext()
  }
}

module.exports = { limitOne }
