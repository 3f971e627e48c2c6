'use strict'
// The same queue, whose tasks finish: each call's task runs and its link is taken off.
const queue = { head: null, tail: null }
let running = 0
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
  kind: 'control',
  async action() {
    let done
    const finished = new Promise((resolve) => {
      done = resolve
    })
    enqueue(async () => done())
    runNext()
    await finished
  },
}
