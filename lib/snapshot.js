'use strict'
// Taking a heap snapshot of this thread's isolate straight into native code.
// v8.getHeapSnapshot() was chosen over the inspector (ARCHITECTURE.md has the measurements):
// its chunks are Buffers outside the JS heap, it needs no inspector session (closing one
// renumbers heap objects), and in a worker it snapshots that worker's heap.
const fs = require('node:fs')
const v8 = require('node:v8')
const binding = require('./binding.js')
const { callNative, invalidArg, checkOptions, codedError } = require('./errors.js')

// A snapshot stream that sends nothing for this long has stalled: V8 writes the whole snapshot
// in one go once the capture (synchronous, so never counted here) is done.
const STALL_MS = 30_000

let streamsWarm = false

// What one read() takes from the stream's buffer: slices of chunks already there, never one
// copy of the whole snapshot.
const READ_BYTES = 1 << 20

/**
 * Reads `stream` into `write` and `fd`, to its end, with 'readable' and read(), as the async
 * iterator does but without it: on Node 18.17–18.20, 20.0–20.19, 22.0–22.3 and 24.0 the iterator
 * over v8.getHeapSnapshot() never ends (measured), and a process with nothing else to do then
 * exited 0 with the hunt still pending. A ref'd watchdog keeps the process alive while a
 * snapshot streams and turns a stall into an error.
 */
function pump(stream, write, fd) {
  return new Promise((resolve, reject) => {
    let bytes = 0
    let lastData = Date.now()
    const finish = (err) => {
      clearInterval(watchdog)
      stream.removeListener('readable', onReadable)
      if (err) {
        stream.destroy()
        reject(err)
      } else resolve(bytes)
    }
    const onReadable = () => {
      lastData = Date.now()
      try {
        for (;;) {
          // read() with nothing buffered returns null, and is what lets 'end' come at the end.
          const buffered = stream.readableLength
          const chunk = stream.read(buffered > 0 ? Math.min(buffered, READ_BYTES) : undefined)
          if (chunk === null) break
          write(chunk)
          if (fd !== null) fs.writeSync(fd, chunk)
          bytes += chunk.length
        }
      } catch (err) {
        finish(err)
      }
    }
    const watchdog = setInterval(() => {
      if (Date.now() - lastData < STALL_MS) return
      finish(codedError('ERR_LEAKHUNT_SNAPSHOT_STALLED', `the heap snapshot stream sent nothing for ${STALL_MS / 1000} s after ${bytes} bytes (Node ${process.version})`))
    }, 1000)
    stream.on('readable', onReadable)
    stream.once('end', () => finish(null))
    stream.once('error', finish)
  })
}

/**
 * Node creates some objects lazily the first time a stream is read (the 'STREAM' debuglog,
 * the 'readable' machinery). Done during a hunt's first snapshot, that would be growth
 * between the baseline and the target: a group for round one and a needless second round.
 * Reading an empty stream once before the baseline gets it over with.
 */
async function warmUpStreams() {
  if (streamsWarm) return
  const { Readable } = require('node:stream')
  const empty = new Readable({
    read() {
      this.push(null)
    },
  })
  await pump(empty, () => {}, null)
  streamsWarm = true
}

/**
 * Streams a new snapshot chunk by chunk into `write`; with `path`, also into a new file that
 * only the user can read (never an existing file; removed again if anything fails).
 */
async function streamHeapSnapshot(write, path) {
  return intoPrivateFile(path, (fd) => pump(v8.getHeapSnapshot(), write, fd))
}

/**
 * Runs `take(fd)` with `fd` a new file at `path` that only the user can read (never an existing
 * file), or null without a path; the file is removed again if `take` fails.
 */
async function intoPrivateFile(path, take) {
  const fd = path ? fs.openSync(path, 'wx', 0o600) : null
  try {
    const result = await take(fd)
    if (fd !== null) fs.closeSync(fd)
    return result
  } catch (err) {
    if (fd !== null) {
      fs.closeSync(fd)
      fs.rmSync(path, { force: true })
    }
    throw err
  }
}

/**
 * Takes a heap snapshot of this thread and parses it as it streams.
 * @param {{ path?: string, mode?: 'full' | 'ids' }} [options]
 */
async function takeSnapshot(options = {}) {
  const { path, mode } = checkOptions(options, { path: undefined, mode: 'full' }, 'takeSnapshot')
  if (path !== undefined && typeof path !== 'string') throw invalidArg('options.path', 'a string', path)
  if (mode !== 'full' && mode !== 'ids') throw invalidArg('options.mode', "'full' or 'ids'", mode)
  const parser = callNative(() => new binding.SnapshotParser(path || 'in-process snapshot', mode))
  await streamHeapSnapshot((chunk) => callNative(() => parser.write(chunk)), path)
  return callNative(() => parser.end())
}

module.exports = { takeSnapshot, streamHeapSnapshot, intoPrivateFile, warmUpStreams }
