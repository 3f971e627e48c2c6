'use strict'
// The name of this platform as leakhunt's binaries are named (`linux-x64-gnu` and the like),
// and whether this Node is one leakhunt runs on.
const { engines } = require('../package.json')

/** Platforms with a prebuilt binary: the `npm/<platform>` folders of the repository. */
const SUPPORTED = ['linux-x64-gnu']

function platformName() {
  if (process.platform !== 'linux') return `${process.platform}-${process.arch}`
  return `linux-${process.arch}-${isMusl() ? 'musl' : 'gnu'}`
}

/** Alpine and friends use musl: their ldd script says so (read in well under a millisecond). */
function isMusl() {
  try {
    return require('node:fs').readFileSync('/usr/bin/ldd', 'utf8').includes('musl')
  } catch {
    // No ldd: Node's own report knows (glibcVersionRuntime is set only on glibc), at ~15 ms.
    const report = process.report && typeof process.report.getReport === 'function' ? process.report.getReport() : null
    return !(report && report.header && report.header.glibcVersionRuntime)
  }
}

/** Refuses a Node older than `engines` says, before anything half-works on it. */
function checkNodeVersion() {
  const [wantMajor, wantMinor] = /(\d+)\.(\d+)/.exec(engines.node).slice(1).map(Number)
  const [major, minor] = process.versions.node.split('.').map(Number)
  if (major > wantMajor || (major === wantMajor && minor >= wantMinor)) return
  const err = new Error(`Node.js ${process.version} is too old for leakhunt, which supports Node.js ${engines.node}: upgrade Node.js.`)
  err.code = 'ERR_LEAKHUNT_NODE_VERSION'
  throw err
}

module.exports = { SUPPORTED, platformName, checkNodeVersion }
