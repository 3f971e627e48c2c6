'use strict'
// A listener added per call and removed when done.
const { EventEmitter } = require('node:events')
const bus = new EventEmitter()
module.exports = {
  kind: 'control',
  action(i) {
    const onTick = () => i
    bus.on('tick', onTick)
    bus.emit('tick')
    bus.off('tick', onTick)
  },
}
