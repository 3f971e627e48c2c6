'use strict'
// A one-line progress bar on stderr for the CLI: drawn only on a terminal (never into a pipe or
// a CI log), redrawn in place at most ten times a second, erased when done.
const WIDTH = 24
const MIN_REDRAW_MS = 100

class ProgressBar {
  /** @param {NodeJS.WriteStream} stream  @param {{ enabled: boolean }} options */
  constructor(stream, { enabled }) {
    this.stream = stream
    this.enabled = Boolean(enabled && stream.isTTY)
    this.started = Date.now()
    this.lastDraw = 0
    this.drawn = false
  }

  /** `fraction` in [0, 1], or null when unknown; `text` follows the bar. */
  update(fraction, text, { force = false } = {}) {
    if (!this.enabled) return
    const now = Date.now()
    if (!force && now - this.lastDraw < MIN_REDRAW_MS) return
    this.lastDraw = now
    const bar =
      fraction === null
        ? ''
        : `[${'#'.repeat(Math.round(fraction * WIDTH)).padEnd(WIDTH, '-')}] ${String(Math.floor(fraction * 100)).padStart(3)}% `
    const columns = this.stream.columns || 80
    this.stream.write(`\r\x1b[K${(bar + text).slice(0, columns - 1)}`)
    this.drawn = true
  }

  /** Bytes read so far, with the rate since the bar began. */
  bytes(done, total, phase) {
    const mb = (n) => (n / 1e6).toFixed(0)
    const seconds = (Date.now() - this.started) / 1000
    const rate = seconds > 0 ? ` ${mb(done / seconds)} MB/s` : ''
    const fraction = total > 0 ? Math.min(1, done / total) : null
    this.update(phase === 'reading' ? fraction : 1, phase === 'reading' ? `reading ${mb(done)} of ${mb(total)} MB${rate}` : phase)
  }

  done() {
    if (this.enabled && this.drawn) this.stream.write('\r\x1b[K')
    this.drawn = false
  }
}

module.exports = { ProgressBar }
