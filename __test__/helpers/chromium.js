'use strict'
// A local HTML page as headless Chromium renders it: the DOM after its scripts ran, and the
// console messages it logged. In CI a missing Chromium fails the test that needs it.
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p))

/** node:test options that skip a test without Chromium on a developer's machine, never in CI. */
const needsChromium = { skip: !CHROMIUM && !process.env.CI && 'Chromium is not installed (apt-get install chromium); in CI this fails instead' }

/** Renders `file` (with `hash`): { status, dom, stderr, consoleLines }. */
function renderPage(file, hash = '') {
  if (!CHROMIUM) throw new Error('Chromium is not installed (apt-get install chromium)')
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-chromium-'))
  try {
    const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0', '--dump-dom', `file://${file}${hash}`]
    const page = spawnSync(CHROMIUM, args, { encoding: 'utf8', timeout: 60_000 })
    return { status: page.status, dom: page.stdout, stderr: page.stderr, consoleLines: page.stderr.split('\n').filter((l) => l.includes(':CONSOLE')) }
  } finally {
    fs.rmSync(profile, { recursive: true, force: true })
  }
}

module.exports = { CHROMIUM, needsChromium, renderPage }
