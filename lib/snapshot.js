'use strict'
// Taking a heap snapshot of this thread's isolate straight into native code.
// v8.getHeapSnapshot() was chosen over the inspector (ARCHITECTURE.md has the measurements):
// its chunks are Buffers outside the JS heap, it needs no inspector session (closing one
// renumbers heap objects), and in a worker it snapshots that worker's heap.
const fs = require('node:fs')
const v8 = require('node:v8')
const binding = require('../binding.js')
const { callNative, invalidArg } = require('./errors.js')

let streamsWarm = false

/**
 * Node creates some objects lazily the first time a stream is read with `for await` (the async
 * iterator's prototype, the 'STREAM' debuglog). Done during a hunt's first snapshot, that would
 * be growth between the baseline and the target: a group for round one and a needless second
 * round. Reading an empty stream once before the baseline gets it over with.
 */
async function warmUpStreams() {
  if (streamsWarm) return
  const { Readable } = require('node:stream')
  const empty = new Readable({
    read() {
      this.push(null)
    },
  })
  for await (const chunk of empty) void chunk
  streamsWarm = true
}

/**
 * Streams a new snapshot chunk by chunk into `write`; with `path`, also into a new file that
 * only the user can read (never an existing file; removed again if anything fails).
 */
async function streamHeapSnapshot(write, path) {
  const fd = path ? fs.openSync(path, 'wx', 0o600) : null
  const stream = v8.getHeapSnapshot()
  let bytes = 0
  try {
    for await (const chunk of stream) {
      write(chunk)
      bytes += chunk.length
      if (fd !== null) fs.writeSync(fd, chunk)
    }
  } catch (err) {
    stream.destroy()
    if (fd !== null) {
      fs.closeSync(fd)
      fs.rmSync(path, { force: true })
    }
    throw err
  }
  if (fd !== null) fs.closeSync(fd)
  return bytes
}

/**
 * Takes a heap snapshot of this thread and parses it as it streams.
 * @param {{ path?: string, mode?: 'full' | 'ids' }} [options]
 */
async function takeSnapshot(options = {}) {
  const { path, mode = 'full' } = options || {}
  if (path !== undefined && typeof path !== 'string') throw invalidArg('options.path', 'a string', path)
  if (mode !== 'full' && mode !== 'ids') throw invalidArg('options.mode', "'full' or 'ids'", mode)
  const parser = callNative(() => new binding.SnapshotParser(path || 'in-process snapshot', mode))
  await streamHeapSnapshot((chunk) => callNative(() => parser.write(chunk)), path)
  return callNative(() => parser.end())
}

module.exports = { takeSnapshot, streamHeapSnapshot, warmUpStreams }
