'use strict'
// Hostile snapshots: a real snapshot written at test time, then broken in every way a file on
// disk can be. Each must end in a clear ERR_LEAKHUNT_* error (with the file and where), or
// parse to something sane; never a crash, a hang or a giant allocation.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { readSnapshot, analyzeSnapshots } = require('..')
const { threeSnapshots } = require('./helpers/snapshots.js')

let set
let dir
let real // the final snapshot's text

before(() => {
  set = threeSnapshots('global-ledger.js', { iterations: 5 })
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-hostile-'))
  real = fs.readFileSync(set.final, 'latin1') // byte for byte, whatever the encoding
})
after(() => {
  set.cleanup()
  fs.rmSync(dir, { recursive: true, force: true })
})

let n = 0
function file(text) {
  const f = path.join(dir, `h${n++}.heapsnapshot`)
  fs.writeFileSync(f, Buffer.from(text, 'latin1'))
  return f
}

/** Rejects with `code` (or one of them), an Error whose message names the file. */
async function rejects(text, code, message) {
  const f = file(text)
  await assert.rejects(readSnapshot(f), (err) => {
    assert.ok(err instanceof Error)
    assert.ok([code].flat().includes(err.code), `${err.code}: ${err.message}`)
    assert.ok(err.message.includes(path.basename(f)), `the message names the file: ${err.message}`)
    if (message) assert.match(err.message, message)
    return true
  })
}

/** The text with the first match of `pattern` replaced. */
function mutate(pattern, replacement) {
  const out = real.replace(pattern, replacement)
  assert.notEqual(out, real, `${pattern} matched`)
  return out
}

/** The offset of a section's first value, just after its '['. */
const sectionStart = (name) => real.indexOf(`"${name}":[`) + name.length + 4

describe('hostile snapshots', () => {
  it('an empty file, and one cut inside every section, is TRUNCATED at a byte offset', async () => {
    await rejects('', 'ERR_LEAKHUNT_SNAPSHOT_TRUNCATED')
    await rejects(real.slice(0, 40), 'ERR_LEAKHUNT_SNAPSHOT_TRUNCATED') // inside the header
    for (const section of ['nodes', 'edges', 'trace_function_infos', 'trace_tree', 'samples', 'locations', 'strings']) {
      const at = sectionStart(section)
      assert.ok(at > section.length + 3, `the real snapshot has ${section}`)
      await rejects(real.slice(0, at + 7), 'ERR_LEAKHUNT_SNAPSHOT_TRUNCATED', new RegExp(`at byte ${at + 7}`))
    }
    await rejects(real.slice(0, real.length - 1), 'ERR_LEAKHUNT_SNAPSHOT_TRUNCATED')
  })

  it('counts that lie are caught without allocating what they claim', async () => {
    const rssBefore = process.memoryUsage().rss
    await rejects(mutate(/"node_count":\d+/, '"node_count":2147483648'), 'ERR_LEAKHUNT_SNAPSHOT_INVALID', /node_count/)
    await rejects(mutate(/"edge_count":\d+/, '"edge_count":4294967295'), 'ERR_LEAKHUNT_SNAPSHOT_INVALID', /edge_count/)
    await rejects(mutate(/"node_count":\d+/, '"node_count":1'), 'ERR_LEAKHUNT_SNAPSHOT_INVALID')
    await rejects(mutate(/"node_count":\d+/, '"node_count":99999999999999999999999'), 'ERR_LEAKHUNT_SNAPSHOT_LAYOUT')
    const grew = process.memoryUsage().rss - rssBefore
    assert.ok(grew < 200 * 1024 * 1024, `RSS grew by ${(grew / 1e6).toFixed(0)} MB`)
  })

  it('references past the arrays are refused, naming the record', async () => {
    // The first edge's target: a node offset far past the nodes array.
    const edges = sectionStart('edges')
    const firstEdge = real.slice(edges).match(/^(\d+),(\d+),(\d+)/)
    const past = real.slice(0, edges) + `${firstEdge[1]},${firstEdge[2]},${7 * 100_000_000}` + real.slice(edges + firstEdge[0].length)
    await rejects(past, 'ERR_LEAKHUNT_SNAPSHOT_INVALID')
    // A target that is not a multiple of the node field count.
    const misaligned = real.slice(0, edges) + `${firstEdge[1]},${firstEdge[2]},${Number(firstEdge[3]) + 1}` + real.slice(edges + firstEdge[0].length)
    await rejects(misaligned, ['ERR_LEAKHUNT_SNAPSHOT_INVALID', 'ERR_LEAKHUNT_SNAPSHOT_SYNTAX'], /multiple of \d+/)
    // The first node's name: a string index past the string table.
    const nodes = sectionStart('nodes')
    const firstNode = real.slice(nodes).match(/^(\d+),(\d+),/)
    const badName = real.slice(0, nodes) + `${firstNode[1]},${2 ** 31},` + real.slice(nodes + firstNode[0].length)
    await rejects(badName, 'ERR_LEAKHUNT_SNAPSHOT_INVALID')
    // A node type past the meta's list of types.
    const badType = real.slice(0, nodes) + `250,` + real.slice(nodes + firstNode[1].length + 1)
    await rejects(badType, ['ERR_LEAKHUNT_SNAPSHOT_INVALID', 'ERR_LEAKHUNT_SNAPSHOT_SYNTAX'], /node type below \d+, not 250/)
  })

  it('negative, fractional, huge and non-numeric numbers are SYNTAX errors', async () => {
    const nodes = sectionStart('nodes')
    for (const bad of ['-1', '1.5', '1e400', '99999999999999999999999999', 'null', '"9"', 'true']) {
      const first = real.slice(nodes).match(/^\d+/)[0]
      const text = real.slice(0, nodes) + bad + real.slice(nodes + first.length)
      await rejects(text, 'ERR_LEAKHUNT_SNAPSHOT_SYNTAX')
    }
  })

  it('strings with lone surrogates and invalid UTF-8 parse (replaced), never fail', async () => {
    const strings = sectionStart('strings')
    const withOdd = real.slice(0, strings) + '"\\ud800 lone","\\udc00\\ud800 reversed","\xff\xfe bad bytes \xc3",' + real.slice(strings)
    const snapshot = await readSnapshot(file(withOdd))
    assert.ok(snapshot.nodeCount > 1000)
    const badEscape = real.slice(0, strings) + '"\\uZZZZ",' + real.slice(strings)
    await rejects(badEscape, 'ERR_LEAKHUNT_SNAPSHOT_SYNTAX')
  })

  it('deeply nested or unexpected JSON is refused, not recursed into', async () => {
    // The header is buffered up to 1 MB: deeper than JSON parsers recurse, and complete.
    await rejects(`{"snapshot":${'['.repeat(100_000)}${']'.repeat(100_000)},"nodes":[]}`, 'ERR_LEAKHUNT_SNAPSHOT_LAYOUT')
    await rejects(`{"snapshot":${'['.repeat(100_000)}`, 'ERR_LEAKHUNT_SNAPSHOT_TRUNCATED')
    await rejects(`{"snapshot":"${'x'.repeat(2 << 20)}"}`, 'ERR_LEAKHUNT_SNAPSHOT_INVALID', /header is larger than/)
    const nodes = sectionStart('nodes')
    await rejects(real.slice(0, nodes) + '['.repeat(100_000) + real.slice(nodes), 'ERR_LEAKHUNT_SNAPSHOT_SYNTAX')
    await rejects(mutate(/"edge_fields":/, '"edge_fields_renamed":'), 'ERR_LEAKHUNT_SNAPSHOT_LAYOUT')
    await rejects(real.replace('"nodes":', '"nodes":{"a":1},"x":'), 'ERR_LEAKHUNT_SNAPSHOT_SYNTAX')
  })

  it('a snapshot from another engine or tool is refused with what was missing', async () => {
    // A V8 CPU profile has "nodes" too; a Chrome trace is an object with other fields.
    const other = ['ERR_LEAKHUNT_SNAPSHOT_LAYOUT', 'ERR_LEAKHUNT_SNAPSHOT_SYNTAX']
    await rejects('{"nodes":[{"id":1,"callFrame":{}}],"startTime":0,"endTime":1,"samples":[]}', other, /"snapshot" header/)
    await rejects('{"traceEvents":[],"metadata":{}}', other)
    await rejects('{"snapshot":{"meta":{"node_fields":["kind"]},"node_count":0,"edge_count":0},"nodes":[],"edges":[],"strings":[]}', 'ERR_LEAKHUNT_SNAPSHOT_LAYOUT')
  })

  it('a heap of cycles only, and one with no GC roots, are analysed without error', async () => {
    const meta = JSON.parse(real.slice(real.indexOf('{"snapshot":'), real.indexOf(',\n"nodes"')) + '}').snapshot.meta
    const width = meta.node_fields.length
    const nodeRow = (type, name, id, size, edges) => meta.node_fields.map((f) => ({ type, name, id, self_size: size, edge_count: edges })[f] ?? 0)
    const object = meta.node_types[0].indexOf('object')
    const property = meta.edge_types[0].indexOf('property')
    const snapshot = (nodes, edges, strings) =>
      JSON.stringify({
        snapshot: { meta, node_count: nodes.length, edge_count: edges.length, trace_function_count: 0 },
        nodes: nodes.flat(),
        edges: edges.flatMap(([_from, to, name]) => [property, name, to * width]),
        trace_function_infos: [],
        trace_tree: [],
        samples: [],
        locations: [],
        strings,
      }).replace(/"(\w+)":\[\]/g, '"$1":[]')
    // Node 0 (the root) holds nothing; 1 -> 2 -> 3 -> 1 hold each other.
    const cycle = snapshot(
      [nodeRow(object, 0, 1, 0, 0), nodeRow(object, 1, 3, 10, 1), nodeRow(object, 1, 5, 10, 1), nodeRow(object, 1, 7, 10, 1)],
      [[1, 2, 2], [2, 3, 2], [3, 1, 2]],
      ['', 'Ring', 'next'],
    )
    const parsed = await readSnapshot(file(cycle))
    assert.equal(parsed.nodeCount, 4)
    const summary = await parsed.summary(3)
    assert.equal(summary.totalSize, 30)
    const report = await analyzeSnapshots(file(cycle), file(cycle), file(cycle))
    assert.deepEqual(report.leaks, [])
    // No synthetic root at all: node 0 is an ordinary object.
    const rootless = snapshot([nodeRow(object, 1, 1, 10, 1), nodeRow(object, 1, 3, 10, 0)], [[0, 1, 2]], ['', 'Thing', 'next'])
    assert.equal((await (await readSnapshot(file(rootless))).summary(2)).totalSize, 20)
  })
})
