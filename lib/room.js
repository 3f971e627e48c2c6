'use strict'
// Do no harm: whether a process can afford a heap snapshot. V8 builds the snapshot's graph
// beside the heap, and that graph costs per *object*, not per byte: a heap of 1,000,000 small
// objects (45 MB) peaks at about 1.5 GB of RSS while V8 writes its snapshot, where 200 MB held
// in a few thousand large arrays costs a few MB more (bench/snapshot-cost.js measures it on
// each Node release). A process whose memory cannot hold that graph is killed (a container at
// its limit), so the estimate is made from the number of objects, and a snapshot that does not
// fit is refused with a way that fits: a sampled heap profile.
const os = require('node:os')
const { codedError } = require('./errors.js')

// Bytes of RSS per heap object while V8 builds a snapshot, by Node major (measured with
// bench/snapshot-cost.js: 1,000,000 small objects, peak RSS less the RSS before, per object).
// Releases not listed take the largest.
const BYTES_PER_OBJECT = { 18: 1500, 20: 1500, 22: 1500, 24: 1500, 26: 1500 }
// The estimate is a mean; a snapshot whose estimate is over this share of the room is refused.
const ROOM_SHARE = 0.8
// Without a heap walk's count: the fewest bytes an object takes (a small object with a few
// fields), so that the count is over-estimated rather than under.
const MIN_OBJECT_BYTES = 32

// What counting the objects costs (V8's object tracker keeps an id per object, no graph):
// measured ~63 B per object (3,000,000 objects: +188 MB), with a margin.
const WALK_BYTES_PER_OBJECT = 80

/**
 * Whether the objects can be counted safely at all: the count of a heap of `heapUsed` bytes in
 * objects as small as they come, at what a count costs each, must fit the room. A heap too big
 * to count is too big to snapshot unless it is mostly large arrays, which nothing tells apart
 * without a count: refused, with the way that fits.
 */
function checkCountRoom({ name, room, heapUsed, instead }) {
  const upper = Math.ceil(heapUsed / MIN_OBJECT_BYTES)
  if (room === null || upper * WALK_BYTES_PER_OBJECT <= room.bytes * ROOM_SHARE) return
  const err = codedError(
    'ERR_LEAKHUNT_NO_ROOM',
    `not taking the ${name} snapshot: the heap is ${mb(heapUsed)}, which may be up to ${upper.toLocaleString('en-US')} objects; a snapshot needs about ${(bytesPerObject(0) / 1024).toFixed(1)} KB per object and even counting them could need ${mb(upper * WALK_BYTES_PER_OBJECT)}, but ${room.what} is ${mb(room.bytes)}; taking it could get the process killed. ${instead}`,
  )
  err.estimate = { snapshotBytes: null, objects: upper, counted: false, roomBytes: room.bytes }
  throw err
}

function bytesPerObject(major) {
  return BYTES_PER_OBJECT[major] || Math.max(...Object.values(BYTES_PER_OBJECT))
}

/**
 * What a snapshot of a heap is expected to cost: `{ bytes, objects, counted }`. `objects` from a
 * heap walk when there was one, else estimated from the heap's size.
 */
function snapshotCost({ objects, heapUsed, major }) {
  const counted = objects > 0
  const n = counted ? objects : Math.ceil(heapUsed / MIN_OBJECT_BYTES)
  return { bytes: n * bytesPerObject(major), objects: n, counted }
}

/** The memory this process can still get: `{ bytes, what }`, or null when unknown. */
function localRoom() {
  if (typeof process.availableMemory === 'function') {
    const available = process.availableMemory()
    if (available > 0) return { bytes: available, what: 'the memory it can still get' }
  }
  const limit = typeof process.constrainedMemory === 'function' ? process.constrainedMemory() : 0
  if (limit > 0 && limit < os.totalmem()) return { bytes: limit - process.memoryUsage.rss(), what: 'what is left under its memory limit' }
  return { bytes: os.freemem(), what: "this machine's free memory" }
}

const mb = (n) => (n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GB` : `${Math.round(n / 1024 / 1024)} MB`)

/**
 * Throws ERR_LEAKHUNT_NO_ROOM when the snapshot's estimated cost does not fit the room.
 * `instead`: what to use instead, said in the refusal.
 */
function checkSnapshotRoom({ name, cost, room, heapUsed, instead }) {
  if (room === null || cost.bytes <= room.bytes * ROOM_SHARE) return
  const objects = `${cost.counted ? '' : 'an estimated '}${cost.objects.toLocaleString('en-US')} objects`
  const err = codedError(
    'ERR_LEAKHUNT_NO_ROOM',
    `not taking the ${name} snapshot: the heap holds ${objects} (${mb(heapUsed)}), and V8 needs about ${(cost.bytes / cost.objects / 1024).toFixed(1)} KB per object to build a snapshot, about ${mb(cost.bytes)} in all, but ${room.what} is ${mb(room.bytes)}; taking it could get the process killed. ${instead}`,
  )
  err.estimate = { snapshotBytes: cost.bytes, objects: cost.objects, counted: cost.counted, roomBytes: room.bytes }
  throw err
}

/**
 * This process's heap objects, counted by one heap walk of V8's object tracker through a
 * session of its own, stopped with HeapProfiler.disable (no snapshot). It forgets V8's object
 * ids: only before anything compares ids (a hunt's baseline).
 */
async function countLocalObjects() {
  const inspector = require('node:inspector')
  const session = new inspector.Session()
  session.connect()
  const counts = new Map()
  // Settle outside the callbacks: on Node 20 they run inside the inspector's dispatch.
  const post = (method) => new Promise((resolve, reject) => session.post(method, {}, (err) => (err ? reject(err) : resolve())))
  const walked = new Promise((resolve) => session.once('HeapProfiler.lastSeenObjectId', resolve))
  session.on('HeapProfiler.heapStatsUpdate', ({ params }) => {
    const u = params.statsUpdate
    for (let i = 0; i + 2 < u.length; i += 3) counts.set(u[i], u[i + 1])
  })
  try {
    await post('HeapProfiler.enable')
    await post('HeapProfiler.startTrackingHeapObjects')
    await walked
  } finally {
    await post('HeapProfiler.disable').catch(() => {})
    session.disconnect()
  }
  let objects = 0
  for (const n of counts.values()) objects += n
  return objects
}

/**
 * The check for a snapshot of this process (hunt(), monitor's snapshotOnLeak). Nothing to count
 * when even a heap of the smallest objects would fit; else the objects are counted, when
 * `mayCount` (before a hunt compares ids), or the last count is scaled with the heap.
 * `memo` keeps the count between snapshots: [objects, heap used then], a typed array, so that
 * a hunt makes no number box of its own mid-hunt. Throws ERR_LEAKHUNT_NO_ROOM.
 */
async function checkLocalSnapshotRoom(name, { instead, mayCount, memo = new Float64Array(2) }) {
  const heapUsed = process.memoryUsage().heapUsed
  const room = localRoom()
  const major = Number(process.versions.node.split('.')[0])
  const upper = snapshotCost({ objects: 0, heapUsed, major })
  if (room === null || upper.bytes <= room.bytes * ROOM_SHARE) return null
  if (!memo[0] && mayCount) {
    checkCountRoom({ name, room, heapUsed, instead })
    memo[0] = await countLocalObjects()
    memo[1] = heapUsed
  }
  // Uncounted (allocation tracking on, ids already compared): the check cannot be made here.
  if (!memo[0]) return null
  const objects = Math.ceil(memo[0] * Math.max(1, heapUsed / memo[1]))
  const cost = snapshotCost({ objects, heapUsed, major })
  checkSnapshotRoom({ name, cost, room, heapUsed, instead })
  return cost
}

module.exports = {
  countLocalObjects,
  checkLocalSnapshotRoom, snapshotCost, localRoom, checkSnapshotRoom, checkCountRoom, bytesPerObject, ROOM_SHARE }
