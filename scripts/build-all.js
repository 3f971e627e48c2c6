'use strict'
// Builds leakhunt's core for every platform it ships (lib/platform.js: NATIVE and WASM) into
// npm/<platform>/, from this Linux x64 machine: the native cores with cargo-zigbuild (zig as
// the cross linker: glibc 2.17 for Linux, no SDK for macOS, MinGW for Windows), the
// WebAssembly one with napi's wasm32-wasip1-threads build. What it needs and lacks (rustup
// targets, zig from PyPI, cargo-zigbuild from crates.io) it installs first, saying so.
//   node scripts/build-all.js [platform ...]     (default: all of them)
// Run by `npm run pack-all`; the checkout's own `npm install` builds only this machine's core.
const { execFileSync, spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')
const { NATIVE, WASM } = require('../lib/platform.js')

const ROOT = path.join(__dirname, '..')
const TARGET_DIR = path.join(ROOT, 'target')
const HOME = require('node:os').homedir()

function fail(message) {
  process.stderr.write(`leakhunt build-all: ${message}\n`)
  process.exit(1)
}

function run(command, args, options = {}) {
  const done = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options })
  if (done.error) fail(`${command} could not run: ${done.error.message}`)
  if (done.status !== 0) fail(`${command} ${args.join(' ')} failed (exit ${done.status ?? done.signal}); its output is above.`)
}

const works = (command, args) => spawnSync(command, args, { stdio: 'ignore' }).status === 0

/** rustup targets, zig and cargo-zigbuild: each installed once, here, if missing. */
function ensureTools(platforms) {
  if (!works('cargo', ['--version'])) fail('Rust toolchain not found: install it from https://rustup.rs (cargo and rustup on PATH).')
  const installed = execFileSync('rustup', ['target', 'list', '--installed'], { encoding: 'utf8' }).split('\n')
  const wanted = platforms.map((p) => p.target).filter((t) => !installed.includes(t))
  if (wanted.length > 0) {
    console.log(`leakhunt build-all: adding Rust targets ${wanted.join(', ')}`)
    run('rustup', ['target', 'add', ...wanted])
  }
  if (!platforms.some((p) => p !== WASM)) return
  // cargo-zigbuild finds zig on PATH or as the `ziglang` Python package.
  if (!works('zig', ['version']) && !works('python3', ['-m', 'ziglang', 'version'])) {
    console.log('leakhunt build-all: installing zig (the cross linker) from PyPI: python3 -m pip install ziglang')
    run('python3', ['-m', 'pip', 'install', '--quiet', 'ziglang'])
  }
  if (!works('cargo', ['zigbuild', '--help'])) {
    console.log('leakhunt build-all: installing cargo-zigbuild from crates.io')
    run('cargo', ['install', '--locked', 'cargo-zigbuild'])
  }
}

/**
 * Flags that make a build the same bytes wherever it runs: paths of this checkout and of
 * cargo's registry are written into panic messages, so they are renamed.
 */
function reproducibleFlags() {
  const cargoHome = process.env.CARGO_HOME || path.join(HOME, '.cargo')
  return [`--remap-path-prefix=${ROOT}=/leakhunt`, `--remap-path-prefix=${cargoHome}=/cargo`]
}

/**
 * napi-build links Windows GNU builds against an import library of node.exe; our core finds
 * Node-API in the host process at load instead (napi's dyn-symbols, Cargo.toml), so any valid
 * import library will do: one of a single export, made with zig's dlltool.
 */
function nodeImportLibrary() {
  const dir = path.join(TARGET_DIR, 'leakhunt-libnode')
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'node.def'), 'LIBRARY node.exe\nEXPORTS\n  napi_module_register\n')
  const zig = works('zig', ['version']) ? ['zig'] : ['python3', '-m', 'ziglang']
  run(zig[0], [...zig.slice(1), 'dlltool', '-d', path.join(dir, 'node.def'), '-l', path.join(dir, 'node.lib'), '-m', 'i386:x86-64'])
  fs.writeFileSync(path.join(dir, 'libnode.dll'), '') // napi-build checks that this file exists
  return dir
}

const ARTIFACT = { linux: 'libleakhunt.so', darwin: 'libleakhunt.dylib', win32: 'leakhunt.dll' }

function buildNative(p) {
  // Linux builds link against glibc 2.17's symbols (zig's own copies), so the core loads on
  // every distribution Node itself supports.
  const zigTarget = p.libc === 'glibc' ? `${p.target}.2.17` : p.target
  const flags = [...reproducibleFlags()]
  if (p.libc === 'musl') flags.push('-C', 'target-feature=-crt-static') // a cdylib links musl dynamically
  // What else differed between two checkouts' builds: a macOS dylib's install name (its path
  // in the build tree, and the UUID made from it), and a Windows DLL's link time (below).
  if (p.os === 'darwin') flags.push('-C', `link-arg=-Wl,-install_name,@rpath/leakhunt.${p.platform}.node`)
  const env = { ...process.env, [`CARGO_TARGET_${p.target.toUpperCase().replace(/-/g, '_')}_RUSTFLAGS`]: flags.join(' ') }
  delete env.RUSTFLAGS
  if (p.os === 'win32') env.LIBNODE_PATH = nodeImportLibrary()
  console.log(`\nleakhunt build-all: ${p.platform} (${zigTarget})`)
  run('cargo', ['zigbuild', '--release', '--lib', '--target', zigTarget], { env })
  const built = path.join(TARGET_DIR, p.target, 'release', ARTIFACT[p.os])
  const dest = path.join(ROOT, 'npm', p.platform, `leakhunt.${p.platform}.node`)
  fs.copyFileSync(built, dest)
  if (p.os === 'win32') clearLinkTime(dest)
  return dest
}

/**
 * A PE file's COFF header holds the time it was linked, which zig's linker cannot be told to
 * leave out: it is set to 0, as reproducible Windows builds do (nothing reads it at load).
 */
function clearLinkTime(file) {
  const image = fs.readFileSync(file)
  const pe = image.readUInt32LE(0x3c)
  if (image.readUInt32BE(pe) !== 0x50450000) fail(`${file} is not a PE file`)
  image.writeUInt32LE(0, pe + 8)
  fs.writeFileSync(file, image)
}

/** The WASI build and napi's loader for it; the worker's script learns to keep quiet about WASI. */
function buildWasm() {
  const out = path.join(TARGET_DIR, 'leakhunt-wasm32-wasi')
  fs.rmSync(out, { recursive: true, force: true })
  const napi = path.join(ROOT, 'node_modules', '@napi-rs', 'cli', 'dist', 'cli.js')
  if (!fs.existsSync(napi)) fail('@napi-rs/cli is not installed: run `npm install` in the checkout (it is a devDependency).')
  console.log(`\nleakhunt build-all: ${WASM.platform} (${WASM.target})`)
  const env = { ...process.env, CARGO_TARGET_WASM32_WASIP1_THREADS_RUSTFLAGS: reproducibleFlags().join(' ') }
  run(process.execPath, [napi, 'build', '--platform', '--release', '--target', WASM.target, '--output-dir', out], { env })
  const dir = path.join(ROOT, 'npm', WASM.platform)
  for (const file of ['leakhunt.wasi.cjs', 'leakhunt.wasm32-wasi.wasm']) fs.copyFileSync(path.join(out, file), path.join(dir, file))
  fs.writeFileSync(path.join(dir, 'wasi-worker.mjs'), quietWorker(fs.readFileSync(path.join(out, 'wasi-worker.mjs'), 'utf8')))
  return path.join(dir, 'leakhunt.wasm32-wasi.wasm')
}

/**
 * Node prints "WASI is an experimental feature" once in every thread that loads node:wasi,
 * and the core's threads are workers: the worker's import becomes a require with that one
 * warning held back (lib/binding.js does the same on the main thread).
 */
function quietWorker(source) {
  const IMPORT = "import { WASI } from 'node:wasi'\n"
  const REQUIRE = 'const require = createRequire(import.meta.url)\n'
  if (!source.includes(IMPORT) || !source.includes(REQUIRE)) fail("napi's wasi-worker.mjs has changed: scripts/build-all.js cannot quiet its WASI warning")
  const quiet = [
    '// leakhunt: Node warns that WASI is experimental in every thread that loads it; not here.',
    'const { WASI } = (() => {',
    '  const emitWarning = process.emitWarning',
    "  process.emitWarning = (warning, ...rest) => (/WASI/.test(String(warning)) ? undefined : emitWarning.call(process, warning, ...rest))",
    "  try { return require('node:wasi') } finally { process.emitWarning = emitWarning }",
    '})()',
    '',
  ].join('\n')
  return source.replace(IMPORT, '').replace(REQUIRE, REQUIRE + quiet)
}

function main() {
  const all = [...NATIVE, WASM]
  const names = process.argv.slice(2)
  const unknown = names.filter((n) => !all.some((p) => p.platform === n))
  if (unknown.length > 0) fail(`unknown platform ${unknown.join(', ')}; known: ${all.map((p) => p.platform).join(', ')}`)
  const platforms = names.length > 0 ? all.filter((p) => names.includes(p.platform)) : all
  ensureTools(platforms)
  const built = platforms.map((p) => (p === WASM ? buildWasm() : buildNative(p)))
  console.log(`\nleakhunt build-all: built\n${built.map((f) => `  ${path.relative(ROOT, f)} (${fs.statSync(f).size} bytes)`).join('\n')}`)
}

main()
