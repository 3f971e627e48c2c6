'use strict'
// Real snapshots for tests: a child Node process runs a fixture and writes them into a
// private temporary directory, removed by `cleanup()`.
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const { FULL, nodeVersions } = require('../../scripts/node-versions.js')

const FIXTURES = path.join(__dirname, '..', 'fixtures')

function threeSnapshots(fixture, { iterations = 20, node = process.execPath, trackAllocations = false } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-test-'))
  const args = ['--expose-gc', path.join(FIXTURES, 'three-snapshots.js'), path.join(FIXTURES, fixture), dir, String(iterations)]
  if (trackAllocations) args.push('--track-allocations')
  execFileSync(node, args, {
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const file = (name) => path.join(dir, `${name}.heapsnapshot`)
  return {
    dir,
    baseline: file('baseline'),
    target: file('target'),
    final: file('final'),
    confirm: file('confirm'),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  }
}

/** The independent count: JSON.parse the three files and apply the method by hand. */
function countByHand(set, predicate) {
  const load = (file) => JSON.parse(fs.readFileSync(file, 'utf8'))
  const ids = (snap) => {
    const f = snap.snapshot.meta.node_fields
    const idAt = f.indexOf('id')
    const out = new Set()
    for (let i = 0; i < snap.nodes.length; i += f.length) out.add(snap.nodes[i + idAt])
    return out
  }
  const baseline = ids(load(set.baseline))
  const target = ids(load(set.target))
  const final = load(set.final)
  const f = final.snapshot.meta.node_fields
  const types = final.snapshot.meta.node_types[0]
  let count = 0
  for (let i = 0; i < final.nodes.length; i += f.length) {
    const node = {
      type: types[final.nodes[i + f.indexOf('type')]],
      name: final.strings[final.nodes[i + f.indexOf('name')]],
      id: final.nodes[i + f.indexOf('id')],
    }
    if (!baseline.has(node.id) && target.has(node.id) && predicate(node)) count++
  }
  return count
}

/**
 * The newest Node 22 and 24 (scripts/fetch-node-versions.js), by major version. A missing one
 * fails the test run: it is never silently left out.
 */
function otherNodes() {
  const found = {}
  for (const { spec, bin, present } of nodeVersions(FULL)) {
    if (!present) throw new Error(`Node ${spec} is not in .cache/node-versions: run node scripts/fetch-node-versions.js (npm test does)`)
    found[spec] = bin
  }
  return found
}

module.exports = { threeSnapshots, countByHand, otherNodes }
