'use strict'
// Loads the compiled Rust core. Users get it from the platform package npm installs beside
// leakhunt (`leakhunt-linux-x64-gnu`, an optional dependency: npm takes only the one whose
// `os`, `cpu` and `libc` match); a checkout gets it from its own build, which `npm install`
// writes into that package's folder (npm/<platform>/). Nothing is ever built at install time.
const path = require('node:path')
const { version } = require('../package.json')
const { SUPPORTED, platformName, checkNodeVersion } = require('./platform.js')

function notFoundError(platform, tried) {
  const supported = SUPPORTED.includes(platform)
  const lines = supported
    ? [
        `leakhunt: the prebuilt core for ${platform} is not installed (package leakhunt-${platform}@${version}).`,
        `npm installs it as an optional dependency of leakhunt; it is missing when installs run with --omit=optional or --no-optional, or when npm could not fetch it (a local leakhunt tarball needs the platform tarball installed with it: npm run pack makes both).`,
        `Install it beside leakhunt: npm install leakhunt-${platform}@${version}`,
      ]
    : [
        `leakhunt has no prebuilt core for this platform (${platform}); prebuilt: ${SUPPORTED.join(', ')}.`,
        `To build it from source: install Rust (https://rustup.rs), clone the leakhunt repository and run \`npm install\` there, then install that folder (npm install /path/to/leakhunt).`,
      ]
  const err = new Error(lines.join('\n'), { cause: tried[tried.length - 1] })
  err.code = 'ERR_LEAKHUNT_NO_BINARY'
  err.platform = platform
  err.tried = tried.map((e) => e.message.split('\n')[0])
  return err
}

function load() {
  checkNodeVersion()
  const platform = platformName()
  const tried = []
  const candidates = [
    // A checkout's own build (npm install / npm run build).
    path.join(__dirname, '..', 'npm', platform, `leakhunt.${platform}.node`),
    // The installed platform package.
    `leakhunt-${platform}`,
  ]
  for (const candidate of candidates) {
    try {
      return require(candidate)
    } catch (err) {
      // A binary that is there but does not load (an older glibc, a broken file) is said as it is.
      if (err.code !== 'MODULE_NOT_FOUND') {
        const failed = new Error(`leakhunt: the core for ${platform} (${candidate}) could not be loaded: ${err.message}`, { cause: err })
        failed.code = 'ERR_LEAKHUNT_BINARY_LOAD'
        throw failed
      }
      tried.push(err)
    }
  }
  throw notFoundError(platform, tried)
}

module.exports = load()
