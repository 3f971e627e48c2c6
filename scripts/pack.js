'use strict'
// Packs leakhunt the way napi-rs packages ship: one package per platform with its prebuilt core
// (npm/<platform> → leakhunt-<platform>-<v>.tgz: seven native cores and the WebAssembly
// fallback), and leakhunt itself, whose package.json names them all as optional dependencies
// (npm installs only the one that fits the machine's os, cpu and libc). Users never need Rust.
//   npm run pack-all [-- --out DIR] [-- --no-build] [-- --host]    (default DIR: dist/)
// It first builds every core (scripts/build-all.js) unless told --no-build, then checks each
// binary is what its platform loads. --host: only this machine's platform package (built by
// scripts/build.js, which needs no cross tools) beside leakhunt's, whose manifest still names
// every platform: what the test suite installs. Publishing: `npm publish` each platform tarball, then
// leakhunt's. (Not `npm run pack`: npm would run the `prepack` refusal below before it.)
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { NATIVE, WASM, platformName } = require('../lib/platform.js')
const { checkBinary } = require('./binary-format.js')

const ROOT = path.join(__dirname, '..')
const PLATFORMS = [...NATIVE, WASM]

if (process.argv.includes('--refuse')) {
  // `prepack` of the repository: a bare `npm pack` or `npm publish` would ship a package.json
  // without the platform packages, whose users would have no binary.
  process.stderr.write(
    'leakhunt: pack with `npm run pack-all` (tarballs in dist/): it builds and packs the core for every platform ' +
      `(${PLATFORMS.map((p) => `leakhunt-${p.platform}`).join(', ')}) and leakhunt with them as optional dependencies.\n`,
  )
  process.exit(1)
}

const outIndex = process.argv.indexOf('--out')
const out = path.resolve(outIndex === -1 ? path.join(ROOT, 'dist') : process.argv[outIndex + 1])
fs.mkdirSync(out, { recursive: true })

const npm = (args, cwd) => JSON.parse(execFileSync('npm', [...args, '--json', '--ignore-scripts'], { cwd, encoding: 'utf8' }))
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'))

const hostOnly = process.argv.includes('--host')
const packed = hostOnly ? PLATFORMS.filter((p) => p.platform === platformName()) : PLATFORMS
if (packed.length === 0) throw new Error(`this machine (${platformName()}) has no platform package to pack`)
if (!process.argv.includes('--no-build')) {
  execFileSync(process.execPath, [path.join(__dirname, hostOnly ? 'build.js' : 'build-all.js')], { cwd: ROOT, stdio: 'inherit' })
}

/** A platform package is packed only when its metadata and its binary are right. */
function checkPlatform(p) {
  const dir = path.join(ROOT, 'npm', p.platform)
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
  const problems = []
  if (meta.version !== pkg.version) problems.push(`has version ${meta.version}, leakhunt ${pkg.version}`)
  for (const key of ['os', 'cpu', 'libc']) {
    const want = p[key] ? [p[key]] : undefined
    if (JSON.stringify(meta[key]) !== JSON.stringify(want)) problems.push(`says ${key} ${JSON.stringify(meta[key])}, lib/platform.js ${JSON.stringify(want)}`)
  }
  for (const file of meta.files) if (!fs.existsSync(path.join(dir, file))) problems.push(`lacks ${file}: build it with node scripts/build-all.js ${p.platform}`)
  if (problems.length === 0 && p !== WASM) problems.push(...checkBinary(fs.readFileSync(path.join(dir, meta.main)), p).problems.map((x) => `${meta.main} ${x}`))
  if (problems.length > 0) throw new Error(`npm/${p.platform}: ${problems.join('; ')}`)
  return dir
}

const tarballs = []
for (const p of packed) {
  const [tarball] = npm(['pack', checkPlatform(p), '--pack-destination', out], ROOT)
  tarballs.push(path.join(out, tarball.filename))
}

// leakhunt itself, from a staged copy of the files `npm pack` would take.
const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-pack-'))
try {
  const [listing] = npm(['pack', '--dry-run'], ROOT)
  for (const { path: file } of listing.files) {
    if (file === 'package.json') continue
    fs.mkdirSync(path.dirname(path.join(stage, file)), { recursive: true })
    fs.copyFileSync(path.join(ROOT, file), path.join(stage, file))
  }
  const { scripts, devDependencies, napi, ...published } = pkg
  // The platforms' cores, beside the repository's own optional dependencies (the MCP SDK,
  // which only `leakhunt mcp` loads).
  published.optionalDependencies = { ...pkg.optionalDependencies, ...Object.fromEntries(PLATFORMS.map((p) => [`leakhunt-${p.platform}`, pkg.version])) }
  fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(published, null, 2)}\n`)
  const [tarball] = npm(['pack', stage, '--pack-destination', out], ROOT)
  tarballs.push(path.join(out, tarball.filename))
} finally {
  fs.rmSync(stage, { recursive: true, force: true })
}
for (const file of tarballs) process.stdout.write(`${file}\n`)
