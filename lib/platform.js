'use strict'
// The name of this platform as leakhunt's binaries are named (`linux-x64-gnu` and the like),
// and whether this Node is one leakhunt runs on.
const { engines } = require('../package.json')

/**
 * Platforms with a prebuilt native core, each the `npm/<platform>` folder of the repository
 * and the package `leakhunt-<platform>`, with the Rust target it is built for. The order is
 * the order `npm run pack-all` builds them in.
 */
const NATIVE = [
  { platform: 'linux-x64-gnu', target: 'x86_64-unknown-linux-gnu', os: 'linux', cpu: 'x64', libc: 'glibc', label: 'Linux x64 (glibc)' },
  { platform: 'linux-arm64-gnu', target: 'aarch64-unknown-linux-gnu', os: 'linux', cpu: 'arm64', libc: 'glibc', label: 'Linux arm64 (glibc)' },
  { platform: 'linux-x64-musl', target: 'x86_64-unknown-linux-musl', os: 'linux', cpu: 'x64', libc: 'musl', label: 'Linux x64 (musl: Alpine)' },
  { platform: 'linux-arm64-musl', target: 'aarch64-unknown-linux-musl', os: 'linux', cpu: 'arm64', libc: 'musl', label: 'Linux arm64 (musl: Alpine)' },
  { platform: 'darwin-arm64', target: 'aarch64-apple-darwin', os: 'darwin', cpu: 'arm64', label: 'macOS arm64 (Apple silicon)' },
  { platform: 'darwin-x64', target: 'x86_64-apple-darwin', os: 'darwin', cpu: 'x64', label: 'macOS x64 (Intel)' },
  { platform: 'win32-x64', target: 'x86_64-pc-windows-gnu', os: 'win32', cpu: 'x64', label: 'Windows x64' },
]

/** The WebAssembly fallback: any machine where no native core fits, or NAPI_RS_FORCE_WASI=1. */
const WASM = { platform: 'wasm32-wasi', target: 'wasm32-wasip1-threads', cpu: 'wasm32', label: 'WebAssembly (WASI threads), anywhere else' }

/** Names of the platforms with a prebuilt native core. */
const SUPPORTED = NATIVE.map((p) => p.platform)

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

/** NAPI_RS_FORCE_WASI set (and not 0/false): the WebAssembly core even where a native one fits, as napi-rs loaders do. */
function wasiForced() {
  const value = process.env.NAPI_RS_FORCE_WASI
  return value !== undefined && value !== '' && value !== '0' && value !== 'false'
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

module.exports = { NATIVE, WASM, SUPPORTED, platformName, wasiForced, checkNodeVersion }
