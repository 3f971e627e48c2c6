'use strict'
// A handler that gives each request a deadline with AbortSignal.timeout() and finishes in time.
module.exports = {
  kind: 'control',
  async action(i) {
    const signal = AbortSignal.timeout(5000)
    await new Promise((resolve, reject) => {
      const onAbort = () => reject(signal.reason)
      signal.addEventListener('abort', onAbort, { once: true })
      setImmediate(() => {
        signal.removeEventListener('abort', onAbort)
        resolve(i)
      })
    })
  },
}
