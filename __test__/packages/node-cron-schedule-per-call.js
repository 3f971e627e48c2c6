'use strict'
// node-cron 3 keeps every task it schedules in a Map on the global object
// (`global.scheduledTasks`) and never removes one, even after task.stop(); a task scheduled
// per call (a reminder per request) is kept for ever, with its scheduler's re-armed timer.
// Round two must judge by the Map's entries: the timers and dates the tasks replace every
// second die, the tasks stay.
const cron = require('node-cron-3.0.3')
class Reminder {
  constructor(i) {
    this.i = i
  }
}
module.exports = {
  package: 'node-cron@3.0.3',
  kind: 'leak',
  expect: { holder: /^globalThis\.scheduledTasks$/, name: 'ScheduledTask', perCall: 1, cause: 'global-variable' },
  action(i) {
    const reminder = new Reminder(i)
    cron.schedule('0 0 1 1 *', () => reminder.i)
  },
}
