'use strict'
// The README and the manual under docs/ are read as a newcomer reads them. Every JavaScript
// example runs as pasted, in a project of its own whose node_modules/leakhunt links to this
// checkout, with the command and the outcome its marker states:
//
//   <!-- example: node --test; exit=1; output=/sessions gains 1/ -->
//   ```js
//   // sessions.test.js         (a line naming a file starts that file)
//   ...
//
// `needs=service` starts a leaking order service with its inspector open and points the
// example's 127.0.0.1:3000 and 127.0.0.1:9229 at them; `needs=snapshots` writes
// s1/s2/s3.heapsnapshot of a leaking process beside it. And every relative link and #anchor
// resolves, so no page sends a reader nowhere.
const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const { spawn, execFile } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const ROOT = path.join(__dirname, '..')
const PAGES = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]
const read = (page) => fs.readFileSync(path.join(ROOT, page), 'utf8')

/** The fenced code blocks of a page: language, code, the 1-based line of the fence, the marker above it. */
function codeBlocks(text) {
  const lines = text.split('\n')
  const blocks = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(\S*)/.exec(lines[i])
    if (!open) continue
    const end = lines.findIndex((l, j) => j > i && l.trim() === open[1])
    assert.ok(end > i, `a code block opened at line ${i + 1} never closes`)
    const marker = /^<!-- example: (.*) -->$/.exec(lines[i - 1] || '')
    blocks.push({ lang: open[2], line: i + 1, code: lines.slice(i + 1, end).join('\n'), marker: marker && marker[1] })
    i = end
  }
  return blocks
}

/** A page's text outside its code blocks, where links and headings are. */
const prose = (text) => text.replace(/^(`{3,}).*\n[\s\S]*?^\1\s*$/gm, '')

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(text) {
  const seen = new Map()
  const out = new Set()
  for (const [, title] of prose(text).matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = title
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-')
    const n = seen.get(slug) || 0
    seen.set(slug, n + 1)
    out.add(n ? `${slug}-${n}` : slug)
  }
  return out
}

const JS = new Set(['js', 'javascript', 'mjs', 'cjs'])

describe('the front page', () => {
  const readme = read('README.md')
  it('is at most 300 lines, with its first example within 60', () => {
    const lines = readme.split('\n').length
    assert.ok(lines <= 300, `README.md is ${lines} lines`)
    const first = codeBlocks(readme).find((b) => JS.has(b.lang))
    assert.ok(first && first.line <= 60, `the first JavaScript example is at line ${first && first.line}`)
  })

  it('links to each of the four uses and to every page of the manual', () => {
    const links = [...prose(readme).matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)].map((m) => m[1])
    for (const page of PAGES.filter((p) => p.startsWith('docs/'))) assert.ok(links.includes(page), `README.md does not link ${page}`)
  })
})

describe('links', () => {
  for (const page of PAGES) {
    it(`${page}: every relative link and #anchor resolves`, () => {
      const broken = []
      for (const [, target] of prose(read(page)).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target)) continue
        const [file, anchor] = target.split('#')
        const resolved = file ? path.join(ROOT, path.dirname(page), file) : path.join(ROOT, page)
        if (!fs.existsSync(resolved)) broken.push(`${target}: no such file`)
        else if (anchor !== undefined && !anchors(fs.readFileSync(resolved, 'utf8')).has(anchor)) broken.push(`${target}: no heading with that anchor`)
      }
      assert.deepEqual(broken, [])
    })
  }
})

/** Links this checkout and the runners the examples use into a fresh project, as `npm install` would. */
function project() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leakhunt-docs-'))
  const modules = path.join(dir, 'node_modules')
  fs.mkdirSync(modules)
  fs.symlinkSync(ROOT, path.join(modules, 'leakhunt'), 'dir')
  const installed = { jest: 'jest', 'jest-environment-node': 'jest-environment-node', vitest: 'vitest', mocha: 'mocha', 'prom-client': 'prom-client-15.1.3' }
  for (const [name, dirName] of Object.entries(installed)) fs.symlinkSync(path.join(ROOT, 'node_modules', dirName), path.join(modules, name), 'dir')
  return dir
}

/** An example's files: each starts at a `// name.js` line (kept, as a reader would paste it). */
function files(code) {
  const out = []
  for (const line of code.split('\n')) {
    const named = /^\/\/ ([\w.-]+\.[cm]?js)\b/.exec(line)
    if (named) out.push({ name: named[1], lines: [] })
    if (!out.length) return null
    out[out.length - 1].lines.push(line)
  }
  return out.map((f) => ({ name: f.name, text: `${f.lines.join('\n').trimEnd()}\n` }))
}

const COMMANDS = {
  node: [],
  jest: [path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js')],
  vitest: [path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs')],
  mocha: [path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js')],
  leakhunt: [path.join(ROOT, 'bin', 'leakhunt.js')],
}

/** Parses `command; exit=N; needs=X; output=/re/` into its parts. */
function parseMarker(marker) {
  const [command, ...rest] = marker.split(';').map((s) => s.trim())
  const options = Object.fromEntries(rest.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]))
  const words = command.replace(/^npx /, '').split(/\s+/)
  assert.ok(words[0] in COMMANDS, `unknown command ${words[0]}`)
  const output = options.output && /^\/(.*)\/$/.exec(options.output)
  return { argv: [...COMMANDS[words[0]], ...words.slice(1)], exit: Number(options.exit || 0), needs: options.needs, output: output && new RegExp(output[1]) }
}

/** Starts the docs' order service (a leak per GET /orders) with its inspector on a free port. */
function startService(dir) {
  const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', path.join(__dirname, 'fixtures', 'docs', 'orders-service.js')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } })
  let out = ''
  let err = ''
  return new Promise((resolve, reject) => {
    const ready = () => {
      const port = /"port":(\d+)/.exec(out)
      const inspector = /ws:\/\/127\.0\.0\.1:(\d+)\//.exec(err)
      if (port && inspector) resolve({ child, port: port[1], inspector: inspector[1] })
    }
    child.stdout.on('data', (d) => ((out += d), ready()))
    child.stderr.on('data', (d) => ((err += d), ready()))
    child.on('exit', (code) => reject(new Error(`the order service exited (${code}): ${err}`)))
  })
}

/** Writes s1, s2 and s3.heapsnapshot of a process that keeps 49 objects between each. */
function writeSnapshots(dir) {
  const script = `const v8 = require('node:v8'); const kept = []; class Order { constructor(i) { this.i = i } }
v8.writeHeapSnapshot('s1.heapsnapshot'); for (let i = 0; i < 49; i++) kept.push(new Order(i));
v8.writeHeapSnapshot('s2.heapsnapshot'); v8.writeHeapSnapshot('s3.heapsnapshot')`
  return new Promise((resolve, reject) => execFile(process.execPath, ['-e', script], { cwd: dir }, (err) => (err ? reject(err) : resolve())))
}

function run(argv, dir) {
  return new Promise((resolve) => {
    // Without NODE_TEST_CONTEXT, which would make an example's `node --test` skip its files and pass.
    const { NODE_TEST_CONTEXT, ...env } = process.env
    execFile(process.execPath, argv, { cwd: dir, timeout: 240_000, killSignal: 'SIGKILL', maxBuffer: 64 << 20, env: { ...env, NODE_OPTIONS: '', NO_COLOR: '1', FORCE_COLOR: '0' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr })
    })
  })
}

describe('examples', () => {
  for (const page of PAGES) {
    const examples = codeBlocks(read(page)).filter((b) => JS.has(b.lang))
    it(`${page}: every JavaScript example is marked with how it runs`, () => {
      assert.deepEqual(
        examples.filter((b) => !b.marker || !files(b.code)).map((b) => `line ${b.line}`),
        [],
        'each needs <!-- example: command; exit=N --> above it and a // file.js line first',
      )
    })
    for (const block of examples.filter((b) => b.marker && files(b.code))) {
      it(`${page}:${block.line} runs: ${block.marker}`, async () => {
        const { argv, exit, needs, output } = parseMarker(block.marker)
        const dir = project()
        let service
        try {
          if (needs === 'service') service = await startService(dir)
          if (needs === 'snapshots') await writeSnapshots(dir)
          for (const file of files(block.code)) {
            const text = service ? file.text.replaceAll('127.0.0.1:9229', `127.0.0.1:${service.inspector}`).replaceAll('127.0.0.1:3000', `127.0.0.1:${service.port}`) : file.text
            fs.writeFileSync(path.join(dir, file.name), text)
          }
          const result = await run(argv, dir)
          const said = `${result.stdout}\n${result.stderr}`
          assert.equal(result.code, exit, said)
          if (output) assert.match(said, output)
        } finally {
          if (service) service.child.kill('SIGKILL')
          fs.rmSync(dir, { recursive: true, force: true })
        }
      })
    }
  }
})
