'use strict'
// The same listener, removed when the call is done.
const EventEmitter = require('eventemitter3-5.0.4')
const ticker = new EventEmitter()
module.exports = {
  package: 'eventemitter3@5.0.4',
  kind: 'control',
  action(i) {
    const onTick = () => i
    ticker.on('tick', onTick)
    ticker.emit('tick')
    ticker.off('tick', onTick)
  },
}
