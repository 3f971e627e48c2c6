'use strict'
// Packs leakhunt the way napi-rs packages ship: the platform package with the prebuilt core
// (npm/linux-x64-gnu → leakhunt-linux-x64-gnu-<v>.tgz) and leakhunt itself, whose package.json
// names it as an optional dependency (npm installs only the one that fits the machine) and
// has no build or install scripts. Users never need Rust.
//   npm run pack [-- --out DIR]     (default DIR: dist/)
// Publishing: `npm publish` each tarball, the platform package first.
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { SUPPORTED } = require('../lib/platform.js')

const ROOT = path.join(__dirname, '..')

if (process.argv.includes('--refuse')) {
  // `prepack` of the repository: a bare `npm pack` or `npm publish` would ship a package.json
  // without the platform packages, whose users would have no binary.
  process.stderr.write(
    'leakhunt: pack with `npm run pack` (tarballs in dist/): it packs the prebuilt core as the platform package ' +
      `${SUPPORTED.map((p) => `leakhunt-${p}`).join(', ')} and leakhunt with it as an optional dependency.\n`,
  )
  process.exit(1)
}

const outIndex = process.argv.indexOf('--out')
const out = path.resolve(outIndex === -1 ? path.join(ROOT, 'dist') : process.argv[outIndex + 1])
fs.mkdirSync(out, { recursive: true })

const npm = (args, cwd) => JSON.parse(execFileSync('npm', [...args, '--json', '--ignore-scripts'], { cwd, encoding: 'utf8' }))
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'))

execFileSync(process.execPath, [path.join(__dirname, 'build.js')], { cwd: ROOT, stdio: 'inherit' })

const tarballs = []
for (const platform of SUPPORTED) {
  const dir = path.join(ROOT, 'npm', platform)
  const binary = path.join(dir, `leakhunt.${platform}.node`)
  if (!fs.existsSync(binary)) throw new Error(`${binary} is missing: this machine cannot build the core for ${platform}`)
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
  if (meta.version !== pkg.version) throw new Error(`npm/${platform}/package.json has version ${meta.version}, leakhunt ${pkg.version}`)
  const [packed] = npm(['pack', dir, '--pack-destination', out], ROOT)
  tarballs.push(path.join(out, packed.filename))
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
  published.optionalDependencies = Object.fromEntries(SUPPORTED.map((p) => [`leakhunt-${p}`, pkg.version]))
  fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(published, null, 2)}\n`)
  const [packed] = npm(['pack', stage, '--pack-destination', out], ROOT)
  tarballs.push(path.join(out, packed.filename))
} finally {
  fs.rmSync(stage, { recursive: true, force: true })
}
for (const file of tarballs) process.stdout.write(`${file}\n`)
