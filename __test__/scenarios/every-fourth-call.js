'use strict'
// A leak on every 4th call only (e.g. an error path that forgets to clean up).
const failedJobs = []
class FailedJob {
  constructor(i) {
    this.i = i
  }
}
module.exports = {
  kind: 'leak',
  expect: { name: 'FailedJob', perCall: 0.25, holder: /failedJobs/, cause: 'collection-cache' },
  action(i) {
    if (i % 4 === 0) failedJobs.push(new FailedJob(i))
  },
}
