'use strict'
// Loads the compiled Rust core. Users get it from the platform package npm installs beside
// leakhunt (`leakhunt-linux-x64-gnu` and its siblings, optional dependencies: npm takes only the
// one whose `os`, `cpu` and `libc` match); a checkout gets it from its own build, which
// `npm install` writes into that package's folder (npm/<platform>/). Where no native core fits
// (FreeBSD, a new CPU, a WebContainer), or NAPI_RS_FORCE_WASI=1 asks for it, the WebAssembly
// build (`leakhunt-wasm32-wasi`) runs the same core. Nothing is ever built at install time.
const path = require('node:path')
const { version } = require('../package.json')
const { SUPPORTED, WASM, platformName, wasiForced, checkNodeVersion } = require('./platform.js')

const NPM_DIR = path.join(__dirname, '..', 'npm')

/** Where a platform's core may be: a checkout's own build first, then the installed package. */
function candidates(platform) {
  const entry = platform === WASM.platform ? 'leakhunt.wasi.cjs' : `leakhunt.${platform}.node`
  return [path.join(NPM_DIR, platform, entry), `leakhunt-${platform}`]
}

/**
 * Requires the first candidate that is there. One that is there but does not load (an older
 * glibc, a broken file) is kept in `failed`, as it is not the same as one that is missing.
 */
function tryLoad(platform, tried, failed) {
  for (const candidate of candidates(platform)) {
    try {
      return { core: requireQuietly(candidate), from: candidate }
    } catch (err) {
      const missing = err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(candidate)
      tried.push(`${candidate}: ${missing ? 'not installed' : String(err.message).split('\n')[0]}`)
      if (!missing) failed.push({ candidate, err })
    }
  }
  return null
}

/** Node's WASI prints an ExperimentalWarning on first use: the fallback is ours to announce, not Node's. */
function requireQuietly(candidate) {
  const emitWarning = process.emitWarning
  process.emitWarning = function (warning, ...rest) {
    const type = typeof rest[0] === 'string' ? rest[0] : rest[0] && rest[0].type
    if (type === 'ExperimentalWarning' && /WASI/.test(String(warning))) return
    return emitWarning.call(process, warning, ...rest)
  }
  try {
    return require(candidate)
  } finally {
    process.emitWarning = emitWarning
  }
}

function notFoundError(platform, tried, failed) {
  const supported = SUPPORTED.includes(platform)
  const lines = failed.length > 0
    ? [
        `leakhunt: the core for ${platform} could not be loaded, nor the WebAssembly fallback (leakhunt-${WASM.platform}@${version}).`,
      ]
    : supported
      ? [
          `leakhunt: the prebuilt core for ${platform} is not installed (package leakhunt-${platform}@${version}).`,
          `npm installs it as an optional dependency of leakhunt; it is missing when installs run with --omit=optional or --no-optional, or when npm could not fetch it (a local leakhunt tarball needs the platform tarball installed with it: npm run pack-all makes them).`,
          `Install it beside leakhunt: npm install leakhunt-${platform}@${version}`,
        ]
      : [
          `leakhunt has no prebuilt native core for this platform (${platform}); prebuilt: ${SUPPORTED.join(', ')}, and the WebAssembly fallback leakhunt-${WASM.platform} for any other machine, which is not installed either.`,
          `Install the fallback beside leakhunt: npm install leakhunt-${WASM.platform}@${version} --cpu=wasm32 (or build a native core from source: install Rust from https://rustup.rs, clone the leakhunt repository, run \`npm install\` there and install that folder).`,
        ]
  if (wasiForced()) lines.push(`NAPI_RS_FORCE_WASI is set: only the WebAssembly fallback (leakhunt-${WASM.platform}) was tried.`)
  lines.push(`Tried: ${tried.join('; ')}`)
  const err = new Error(lines.join('\n'), { cause: failed.length > 0 ? failed[failed.length - 1].err : undefined })
  err.code = failed.length > 0 ? 'ERR_LEAKHUNT_BINARY_LOAD' : 'ERR_LEAKHUNT_NO_BINARY'
  err.platform = platform
  err.tried = tried
  return err
}

function load() {
  checkNodeVersion()
  const platform = platformName()
  const tried = []
  const failed = []
  const native = wasiForced() ? null : tryLoad(platform, tried, failed)
  if (native) return describe(native, platform, 'native')
  const wasm = tryLoad(WASM.platform, tried, failed)
  if (!wasm) throw notFoundError(platform, tried, failed)
  if (failed.length > 0) {
    // A native core that is there but broken is not something to run past unseen.
    process.emitWarning(`leakhunt: the native core for ${platform} could not be loaded (${failed[0].err.message.split('\n')[0]}); running the WebAssembly fallback, which is slower.`, {
      code: 'LEAKHUNT_WASM_FALLBACK',
    })
  }
  return describe(wasm, WASM.platform, 'wasm')
}

/**
 * The core, with what it is (`core.leakhuntCore`: attach needs to know it runs inside WASI)
 * and `core.pathFor(file)`, the name of a file as the core can open it: WASI has no working
 * directory, only the root the loader opens to it, so relative paths are made absolute.
 */
function describe({ core, from }, platform, kind) {
  Object.defineProperty(core, 'leakhuntCore', { value: Object.freeze({ platform, kind, from }), enumerable: false })
  Object.defineProperty(core, 'pathFor', { value: kind === 'wasm' ? (file) => path.resolve(file) : (file) => file, enumerable: false })
  return core
}

module.exports = load()
