'use strict'
// Latencies kept to the last 100: pushed, and the oldest shifted off.
const latencies = []
for (let i = 0; i < 100; i++) latencies.push(i / 3)
module.exports = {
  kind: 'control',
  action() {
    latencies.push(Math.random() * 50)
    if (latencies.length > 100) latencies.shift()
  },
}
