'use strict'
// Builds the Rust core into npm/<platform>/ (where lib/binding.js looks in a checkout and
// from where `npm run pack` packs the platform package). Run by `npm install` in a checkout
// (the `prepare` script) and never for users of the package, who get the prebuilt binary.
//   node scripts/build.js [--debug]
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')
const { SUPPORTED, platformName } = require('../lib/platform.js')

const ROOT = path.join(__dirname, '..')
const PLATFORM = platformName()

function fail(message) {
  process.stderr.write(`leakhunt build: ${message}\n`)
  process.exit(1)
}

if (process.env.LEAKHUNT_SKIP_BUILD === '1') {
  process.stderr.write('leakhunt build: skipped (LEAKHUNT_SKIP_BUILD=1)\n')
  process.exit(0)
}
const cargo = spawnSync('cargo', ['--version'], { encoding: 'utf8' })
if (cargo.error || cargo.status !== 0) {
  fail(
    'Rust toolchain not found: install it from https://rustup.rs (cargo must be on PATH), then run `npm install` again.\n' +
      'Only a build from source needs Rust: the leakhunt package on npm ships prebuilt binaries.',
  )
}
if (!SUPPORTED.includes(PLATFORM)) {
  process.stderr.write(`leakhunt build: building for ${PLATFORM}, which has no prebuilt package; the result is used from this checkout only.\n`)
}
const outDir = path.join(ROOT, 'npm', PLATFORM)
fs.mkdirSync(outDir, { recursive: true })
const napi = path.join(ROOT, 'node_modules', '@napi-rs', 'cli', 'dist', 'cli.js')
if (!fs.existsSync(napi)) fail('@napi-rs/cli is not installed: run `npm install` in the checkout (it is a devDependency).')
const args = [napi, 'build', '--platform', '--no-js', '--output-dir', outDir]
if (!process.argv.includes('--debug')) args.push('--release')
const built = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' })
if (built.status !== 0) fail(`cargo build failed (exit ${built.status ?? built.signal}); its output is above.`)
// napi names some platforms otherwise (win32-x64-msvc); lib/binding.js looks for ours.
const wanted = `leakhunt.${PLATFORM}.node`
const produced = fs.readdirSync(outDir).filter((f) => f.endsWith('.node') && f !== wanted)
if (!fs.existsSync(path.join(outDir, wanted)) && produced.length === 1) fs.renameSync(path.join(outDir, produced[0]), path.join(outDir, wanted))
