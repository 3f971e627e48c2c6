'use strict'
// What a compiled core is, read from its headers: the file format (ELF, Mach-O, PE, wasm), the
// CPU, whether it exports Node's module entry point, and the shared libraries it needs. Used
// by `npm run pack-all` (no tarball of a wrong binary) and by the platform tests (for the
// binaries nothing here can run: macOS, musl). Only what those checks need is parsed.

const ENTRY = 'napi_register_module_v1'

function describeBinary(buf) {
  if (buf.readUInt32BE(0) === 0x7f454c46) return elf(buf)
  if (buf.readUInt32LE(0) === 0xfeedfacf) return machO(buf)
  if (buf.readUInt16LE(0) === 0x5a4d) return pe(buf)
  if (buf.readUInt32BE(0) === 0x0061736d) return { format: 'wasm', cpu: 'wasm32', exportsEntry: true, libraries: [] }
  return { format: 'unknown', cpu: null, exportsEntry: false, libraries: [] }
}

const cString = (buf, at) => buf.toString('latin1', at, buf.indexOf(0, at))

/** ELF64 little-endian: the dynamic section's DT_NEEDED and the dynamic symbol table. */
function elf(buf) {
  const machine = { 0x3e: 'x64', 0xb7: 'arm64' }[buf.readUInt16LE(18)] || `elf-machine-${buf.readUInt16LE(18)}`
  const shoff = Number(buf.readBigUInt64LE(40))
  const shentsize = buf.readUInt16LE(58)
  const shnum = buf.readUInt16LE(60)
  const sections = []
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize
    sections.push({ type: buf.readUInt32LE(at + 4), offset: Number(buf.readBigUInt64LE(at + 24)), size: Number(buf.readBigUInt64LE(at + 32)), link: buf.readUInt32LE(at + 40) })
  }
  const libraries = []
  let exportsEntry = false
  for (const s of sections) {
    if (s.type === 6 /* SHT_DYNAMIC */) {
      const strtab = sections[s.link].offset
      for (let at = s.offset; at < s.offset + s.size; at += 16) {
        if (buf.readBigInt64LE(at) === 1n /* DT_NEEDED */) libraries.push(cString(buf, strtab + Number(buf.readBigUInt64LE(at + 8))))
      }
    }
    if (s.type === 11 /* SHT_DYNSYM */) {
      const strtab = sections[s.link].offset
      for (let at = s.offset; at < s.offset + s.size; at += 24) {
        const defined = buf.readUInt16LE(at + 6) !== 0
        if (defined && cString(buf, strtab + buf.readUInt32LE(at)) === ENTRY) exportsEntry = true
      }
    }
  }
  return { format: 'elf', cpu: machine, type: buf.readUInt16LE(16) === 3 ? 'shared' : 'other', exportsEntry, libraries }
}

/** Mach-O 64: LC_LOAD_DYLIB names and the symbol table's external defined symbols. */
function machO(buf) {
  const cpu = { 0x0100000c: 'arm64', 0x01000007: 'x64' }[buf.readUInt32LE(4)] || `macho-cpu-${buf.readUInt32LE(4)}`
  const ncmds = buf.readUInt32LE(16)
  const libraries = []
  let exportsEntry = false
  let at = 32
  for (let i = 0; i < ncmds; i++) {
    const cmd = buf.readUInt32LE(at)
    const size = buf.readUInt32LE(at + 4)
    if (cmd === 0xc /* LC_LOAD_DYLIB */ || cmd === 0x80000018 /* LC_LOAD_WEAK_DYLIB */) libraries.push(cString(buf, at + buf.readUInt32LE(at + 8)))
    if (cmd === 0x2 /* LC_SYMTAB */) {
      const [symoff, nsyms, stroff] = [buf.readUInt32LE(at + 8), buf.readUInt32LE(at + 12), buf.readUInt32LE(at + 16)]
      for (let k = 0; k < nsyms; k++) {
        const s = symoff + k * 16
        const type = buf.readUInt8(s + 4)
        if ((type & 0x01) /* N_EXT */ && (type & 0x0e) === 0x0e /* N_SECT */ && cString(buf, stroff + buf.readUInt32LE(s)) === `_${ENTRY}`) exportsEntry = true
      }
    }
    at += size
  }
  return { format: 'mach-o', cpu, type: buf.readUInt32LE(12) === 6 ? 'shared' : 'other', exportsEntry, libraries }
}

/** PE32+: the export directory's names and the import directory's DLLs. */
function pe(buf) {
  const peAt = buf.readUInt32LE(0x3c)
  const cpu = { 0x8664: 'x64', 0xaa64: 'arm64' }[buf.readUInt16LE(peAt + 4)] || `pe-machine-${buf.readUInt16LE(peAt + 4)}`
  const nsections = buf.readUInt16LE(peAt + 6)
  const optAt = peAt + 24
  const optSize = buf.readUInt16LE(peAt + 20)
  const dll = (buf.readUInt16LE(peAt + 22) & 0x2000) !== 0
  const sections = []
  for (let i = 0; i < nsections; i++) {
    const s = optAt + optSize + i * 40
    sections.push({ va: buf.readUInt32LE(s + 12), size: buf.readUInt32LE(s + 8), raw: buf.readUInt32LE(s + 20) })
  }
  const offsetOf = (rva) => {
    const s = sections.find((x) => rva >= x.va && rva < x.va + x.size)
    return s ? rva - s.va + s.raw : -1
  }
  const dataDir = optAt + 112 // PE32+ data directories
  const exportDir = offsetOf(buf.readUInt32LE(dataDir))
  let exportsEntry = false
  if (exportDir >= 0) {
    const count = buf.readUInt32LE(exportDir + 24)
    const names = offsetOf(buf.readUInt32LE(exportDir + 32))
    for (let k = 0; k < count; k++) if (cString(buf, offsetOf(buf.readUInt32LE(names + 4 * k))) === ENTRY) exportsEntry = true
  }
  const libraries = []
  for (let at = offsetOf(buf.readUInt32LE(dataDir + 8)); at >= 0 && buf.readUInt32LE(at + 12) !== 0; at += 20) libraries.push(cString(buf, offsetOf(buf.readUInt32LE(at + 12))))
  return { format: 'pe', cpu, type: dll ? 'shared' : 'other', exportsEntry, libraries }
}

/** What each platform's loader accepts: the format, and the libraries it may assume. */
const EXPECTED = {
  linux: { format: 'elf', allowed: (lib, libc) => (libc === 'musl' ? /^libc\.so$/.test(lib) : /^(libc\.so\.6|libpthread\.so\.0|libdl\.so\.2|libm\.so\.6|libgcc_s\.so\.1|librt\.so\.1|ld-linux-[\w-]+\.so\.\d)$/.test(lib)) },
  darwin: { format: 'mach-o', allowed: (lib) => /^\/usr\/lib\/[\w.+-]+\.dylib$/.test(lib) || lib.startsWith('/System/Library/Frameworks/') },
  win32: { format: 'pe', allowed: (lib) => /^(kernel32|ntdll|userenv|ws2_32|bcryptprimitives|advapi32|api-ms-win-[\w-]+|msvcrt|ucrtbase)\.dll$/i.test(lib) },
}

/** The problems of a native core built for `p` (a lib/platform.js entry); none: it is right. */
function checkBinary(buf, p) {
  const d = describeBinary(buf)
  const want = EXPECTED[p.os]
  const problems = []
  if (d.format !== want.format) problems.push(`is ${d.format}, not ${want.format}`)
  else {
    if (d.cpu !== p.cpu) problems.push(`is for ${d.cpu}, not ${p.cpu}`)
    if (d.type !== 'shared') problems.push('is not a shared library')
    if (!d.exportsEntry) problems.push(`does not export ${ENTRY}`)
    const foreign = d.libraries.filter((lib) => !want.allowed(lib, p.libc))
    if (foreign.length > 0) problems.push(`needs libraries outside the system's: ${foreign.join(', ')}`)
  }
  return { ...d, problems }
}

module.exports = { describeBinary, checkBinary }
