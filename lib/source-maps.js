'use strict'
// Positions in the code the user wrote. V8 records where the code it ran starts (a class's
// constructor, a closure, a function on an allocation stack), and that code is often not what
// the user wrote: babel-jest transforms every test's modules, tsc and bundlers write new files.
// Each script's source map, found where Node and V8 find it, maps the positions back.
//
// Where a script's map comes from, first found wins:
// - Node's own source-map cache (`module.findSourceMap`), filled when --enable-source-maps is on;
// - the `sourceMappingURL` of the code V8 ran, as V8 read it (Debugger.scriptParsed), in the
//   hunting process only: Jest's transformed code exists nowhere else;
// - the script's file on disk: its last `sourceMappingURL` comment, else `<file>.map` beside it.
// A map is a `data:` URL or a file; nothing is ever fetched and nothing from a map is run.
//
// Maps are decoded by Node's `module.SourceMap` (since Node 12.17): the decoder Node's own
// --enable-source-maps stack traces use, so the positions agree with the traces users read, and
// no dependency. Reports are built after the last snapshot, so a parsed map never shows in what
// the hunt measures.
const fs = require('node:fs')
const path = require('node:path')
const { SourceMap, findSourceMap } = require('node:module')
const { fileURLToPath, pathToFileURL } = require('node:url')

// Bundles' maps run to tens of MB; past this, a file is more likely a mistake than a map.
const MAX_FILE_BYTES = 64 * 1024 * 1024
// V8 takes the last such comment of a script; so do we.
const MAGIC_COMMENT = /^[ \t]*\/\/[#@][ \t]+sourceMappingURL=[ \t]*([^\s'"]+)\s*$/

/**
 * Maps every position of a report (growth points' locations, allocation stack frames) through
 * the source maps of their scripts, in place, and records what it did in `summary.sourceMaps`.
 * `inspector`: the hunt's open node:inspector Session, to read the code V8 ran; none offline.
 * @returns {Promise<object>} the same report
 */
async function mapReport(report, { inspector = null, nodeCache = false } = {}) {
  const places = positionsOf(report)
  const maps = new SourceMaps({ nodeCache })
  // V8 is asked only about scripts Node's cache does not answer for (none, when it has them all).
  const unanswered = places.filter((place) => !maps.cachedByNode(place))
  if (inspector && unanswered.length > 0) await maps.readExecuted(inspector, new Set(unanswered.map((p) => String(p.scriptId))))
  for (const place of places) maps.map(place)
  report.summary.sourceMaps = { mapped: maps.mapped, maps: maps.used.size, notes: maps.notes }
  return report
}

/** The positions a report shows: each growth point's location, its classes' and its allocation stack frames. */
function positionsOf(report) {
  const places = []
  for (const point of [...(report.leaks || []), ...(report.retained || [])]) {
    if (point.location && point.location.line > 0) places.push(point.location)
    for (const held of point.breakdown || []) if (held.location && held.location.line > 0) places.push(held.location)
    for (const stack of point.allocationStacks || []) {
      for (const frame of stack.frames) if (frame.line > 0) places.push(frame)
    }
  }
  return places
}

/** The maps of one report's scripts, each found and parsed once. */
class SourceMaps {
  constructor({ nodeCache }) {
    this.nodeCache = nodeCache
    this.byScript = new Map() // script id + name → Decoded | null
    this.executed = null // script id → { url, sourceMapURL } of the code V8 ran
    this.mapped = 0
    this.seen = new Set()
    this.used = new Set() // the maps that moved a position
    this.notes = []
  }

  /**
   * The `sourceMappingURL` of each script V8 compiled, as V8 read it: enabling the Debugger
   * domain replays a `scriptParsed` event per script (synchronously on an in-process session),
   * and disabling it right away leaves no breakpoint or script reference behind.
   */
  async readExecuted(session, wanted) {
    const executed = new Map()
    const onParsed = ({ params }) => {
      if (wanted.has(params.scriptId)) executed.set(params.scriptId, { url: params.url, sourceMapURL: params.sourceMapURL || '' })
    }
    const post = (method) => new Promise((resolve) => session.post(method, {}, (err) => resolve(!err)))
    session.on('Debugger.scriptParsed', onParsed)
    try {
      if (await post('Debugger.enable')) this.executed = executed
    } finally {
      await post('Debugger.disable')
      session.removeListener('Debugger.scriptParsed', onParsed)
    }
  }

  /** Maps one position in place; keeps the generated one as `generated`. */
  map(place) {
    const decoded = this.decodedFor(place)
    if (!decoded) return
    const original = decoded.originalOf(place.line, place.column)
    if (!original) return
    // One position shown in several places (a lead class and its row in the breakdown) counts once.
    const where = `${place.scriptName}:${place.line}:${place.column}`
    place.generated = { scriptName: place.scriptName, line: place.line, column: place.column }
    Object.assign(place, original)
    if (!this.seen.has(where)) this.mapped++
    this.seen.add(where)
    this.used.add(decoded)
  }

  /** Whether Node's cache has the script's map (kept for `map`). */
  cachedByNode(place) {
    const key = scriptKey(place)
    if (!this.byScript.has(key) && this.nodeCache && place.scriptName) {
      const decoded = nodeCached(place.scriptName)
      if (decoded) this.byScript.set(key, decoded)
    }
    return Boolean(this.byScript.get(key))
  }

  decodedFor(place) {
    const key = scriptKey(place)
    if (!this.byScript.has(key)) {
      this.byScript.set(key, this.find(place))
    }
    return this.byScript.get(key)
  }

  find({ scriptId, scriptName }) {
    const ran = this.executed && this.executed.get(String(scriptId))
    const scriptUrl = asUrl((ran && ran.url) || scriptName)
    if (ran && ran.sourceMapURL) return this.load(ran.sourceMapURL, scriptUrl)
    if (!scriptUrl || !scriptUrl.startsWith('file:')) return null
    const file = fileURLToPath(scriptUrl)
    // The code V8 ran had no map comment: the file on disk is that code (or the user's own
    // source, as under Jest), so only a map beside it can belong to it.
    const comment = ran ? null : commentOf(file, this.notes)
    if (comment) return this.load(comment, scriptUrl)
    return fs.existsSync(`${file}.map`) ? this.load(`${path.basename(file)}.map`, scriptUrl) : null
  }

  /** Reads and decodes the map at `url` (relative to the script); null, with a note, when it cannot. */
  load(url, scriptUrl) {
    const inline = url.startsWith('data:')
    let mapUrl = scriptUrl
    let text
    try {
      if (!inline) mapUrl = new URL(url, scriptUrl || undefined).href
    } catch (err) {
      return this.note(`${shown(url)}: ${reason(err)}`)
    }
    const where = inline ? `the inline map of ${shown(scriptUrl)}` : shown(mapUrl)
    if (!inline && !mapUrl.startsWith('file:')) return this.note(`${where}: not a file or data: URL, not fetched`)
    try {
      text = inline ? dataUrlText(url) : readSmall(fileURLToPath(mapUrl))
      return new Decoded(text, mapUrl)
    } catch (err) {
      return this.note(`${where}: ${reason(err)}`)
    }
  }

  note(text) {
    if (this.notes.length < 20 && !this.notes.includes(text)) this.notes.push(text)
    return null
  }
}

/** A parsed map and how to name its sources. */
class Decoded {
  constructor(text, mapUrl, sourceMap) {
    const payload = sourceMap ? sourceMap.payload : JSON.parse(text)
    checkPayload(payload)
    this.sourceMap = sourceMap || new SourceMap(payload)
    this.sourceRoot = typeof payload.sourceRoot === 'string' ? payload.sourceRoot : ''
    this.mapUrl = mapUrl
  }

  /** The original position of a 1-based generated one, or null when the map has none there. */
  originalOf(line, column) {
    let entry
    try {
      entry = this.sourceMap.findEntry(line - 1, column - 1)
    } catch {
      return null
    }
    // findEntry answers with the nearest mapping before the position, even lines above: a
    // position on a line the map does not cover is not mapped.
    if (!entry || entry.generatedLine !== line - 1) return null
    const { originalSource: source, originalLine, originalColumn } = entry
    if (typeof source !== 'string' || source === '' || !isIndex(originalLine) || !isIndex(originalColumn)) return null
    return { scriptName: this.sourceName(source), line: originalLine + 1, column: originalColumn + 1 }
  }

  /** A source as a path when it is a file, else as the map names it (`webpack://app/./src/a.ts`). */
  sourceName(source) {
    let url
    try {
      url = isAbsoluteUrl(source) ? source : new URL(this.sourceRoot + source, this.mapUrl || undefined).href
    } catch {
      return source
    }
    return url.startsWith('file:') ? fileURLToPath(url) : url
  }
}

const scriptKey = (place) => `${place.scriptId}\0${place.scriptName || ''}`

/** Node's map of a script, when --enable-source-maps had Node read it (or null). */
function nodeCached(scriptName) {
  try {
    const sourceMap = findSourceMap(scriptName) || (scriptName.startsWith('/') ? findSourceMap(pathToFileURL(scriptName).href) : undefined)
    // Node made the sources absolute when it cached the map: no base is needed.
    return sourceMap ? new Decoded(null, null, sourceMap) : null
  } catch {
    return null
  }
}

/** A map's required shape: a hostile one is turned down here, before the decoder sees it. */
function checkPayload(payload) {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw new Error('not a source map (no JSON object)')
  if (payload.version !== 3) throw new Error(`not a version 3 source map (version ${shown(String(payload.version))})`)
  if (Array.isArray(payload.sections)) {
    for (const section of payload.sections) {
      if (!section || typeof section.offset !== 'object' || section.offset === null) throw new Error('a section without an offset')
      checkPayload(section.map)
    }
    return
  }
  if (typeof payload.mappings !== 'string') throw new Error('its mappings are not a string')
  if (!Array.isArray(payload.sources) || !payload.sources.every((s) => typeof s === 'string' || s === null)) {
    throw new Error('its sources are not a list of strings')
  }
}

/** The last sourceMappingURL comment of a file, or null. */
function commentOf(file, notes) {
  let text
  try {
    text = readSmall(file)
  } catch (err) {
    if (err.code !== 'ENOENT' && notes.length < 20) notes.push(`${file}: ${reason(err)}`)
    return null
  }
  // The comment is the file's last line (an inline map makes it most of the file).
  const at = text.lastIndexOf('sourceMappingURL=')
  const match = at < 0 ? null : MAGIC_COMMENT.exec(text.slice(text.lastIndexOf('\n', at) + 1))
  return match ? match[1] : null
}

function readSmall(file) {
  const { size } = fs.statSync(file)
  if (size > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`)
  return fs.readFileSync(file, 'utf8')
}

/** The text of a `data:` URL (base64 or percent-encoded). */
function dataUrlText(url) {
  const comma = url.indexOf(',')
  if (comma < 0) throw new Error('a data: URL without data')
  const header = url.slice(5, comma)
  const body = url.slice(comma + 1)
  if (body.length > MAX_FILE_BYTES * 1.4) throw new Error('an inline map too large')
  return /;base64$/i.test(header) ? Buffer.from(body, 'base64').toString('utf8') : decodeURIComponent(body)
}

function asUrl(name) {
  if (!name) return null
  if (isAbsoluteUrl(name)) return name
  return path.isAbsolute(name) ? pathToFileURL(name).href : null
}

const isAbsoluteUrl = (s) => /^[a-z][a-z0-9+.-]*:/i.test(s) && !/^[a-z]:[\\/]/i.test(s)
const isIndex = (n) => Number.isInteger(n) && n >= 0
// Notes name files, never a data: URL's contents.
const shown = (s) => (s && s.startsWith('data:') ? 'data: URL' : s && s.startsWith('file:') ? fileURLToPath(s) : String(s).slice(0, 200))
const reason = (err) => String((err && err.message) || err).slice(0, 200)

/**
 * Maps positions given as `{ scriptName, line, column }` (a sampled profile's frames) through
 * the maps beside their scripts, in place; what it did, as `summary.sourceMaps` says it.
 */
function mapPlaces(places) {
  const maps = new SourceMaps({ nodeCache: false })
  for (const place of places) if (place.line > 0 && place.scriptName) maps.map(place)
  return { mapped: maps.mapped, maps: maps.used.size, notes: maps.notes }
}

/**
 * Maps positions in scripts of this process (this thread's isolate) in place, through the maps
 * of the code V8 ran, which it read from that code's last `sourceMappingURL` comment: a test
 * file that babel-jest or ts-jest transformed exists nowhere else, its map inline in Jest's
 * output. Read over an in-process inspector session (Debugger.enable replays each script's
 * `scriptParsed`, then it is disabled again); scripts it does not name fall back to the files
 * on disk, as in mapPlaces.
 */
async function mapPlacesAsRun(places) {
  const wanted = places.filter((place) => place.line > 0 && place.scriptName)
  const maps = new SourceMaps({ nodeCache: true })
  if (wanted.length > 0) {
    const { Session } = require('node:inspector')
    const session = new Session()
    session.connect()
    try {
      await maps.readExecuted(session, new Set(wanted.map((place) => String(place.scriptId))))
    } finally {
      session.disconnect()
    }
    for (const place of wanted) maps.map(place)
  }
  return { mapped: maps.mapped, maps: maps.used.size, notes: maps.notes }
}

module.exports = { mapReport, mapPlaces, mapPlacesAsRun }
