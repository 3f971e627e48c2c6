'use strict'
// The one place where native errors become JS errors people can act on: the binding puts
// the code first in the message ("ERR_LEAKHUNT_X: ..."); here it moves to `err.code`.

const CODE_PREFIX = /^(ERR_LEAKHUNT_[A-Z_]+): /

function fromNative(err) {
  if (!(err instanceof Error)) return err
  // The WebAssembly core cannot unwind a panic (stable Rust aborts on wasm): it traps instead.
  if (err instanceof WebAssembly.RuntimeError) {
    return codedError('ERR_LEAKHUNT_INTERNAL', `leakhunt's WebAssembly core stopped (${err.message}): a bug in leakhunt, please report it. The fallback cannot recover from it; a native core can.`, { cause: err })
  }
  const match = CODE_PREFIX.exec(err.message)
  if (!match) return err
  const clean = new Error(err.message.slice(match[0].length))
  clean.code = match[1]
  // Keep the caller's stack, not the binding's.
  clean.stack = `Error [${match[1]}]: ${clean.message}\n${(err.stack || '').split('\n').slice(1).join('\n')}`
  return clean
}

/** Calls a native function, translating its errors (sync throws and rejections). */
function callNative(fn) {
  let result
  try {
    result = fn()
  } catch (err) {
    throw fromNative(err)
  }
  if (result && typeof result.then === 'function') {
    return result.then(undefined, (err) => {
      throw fromNative(err)
    })
  }
  return result
}

/** An Error with a `code`, as Node's own errors have. */
function codedError(code, message, options) {
  const err = new Error(message, options)
  err.code = code
  return err
}

function invalidArg(name, expected, value) {
  const err = new TypeError(`The "${name}" argument must be ${expected}. Received ${describe(value)}`)
  err.code = 'ERR_INVALID_ARG_TYPE'
  return err
}

/** A value of the right type outside its range, as Node says it: a RangeError, ERR_OUT_OF_RANGE. */
function outOfRange(name, range, value) {
  const err = new RangeError(`The value of "${name}" is out of range. It must be ${range}. Received ${typeof value === 'number' ? value : describe(value)}`)
  err.code = 'ERR_OUT_OF_RANGE'
  return err
}

/**
 * `options` merged over `defaults`, after refusing keys that `defaults` does not have: a
 * misspelt option (`itrations`) would otherwise be ignored without a word.
 */
function checkOptions(options, defaults, fnName) {
  if (options === undefined || options === null) return { ...defaults }
  if (typeof options !== 'object' || Array.isArray(options)) throw invalidArg('options', 'an object', options)
  const known = Object.keys(defaults)
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue
    const near = known.find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2)
    const err = new TypeError(`${fnName}(): unknown option "${key}"${near ? ` (did you mean "${near}"?)` : ''}. Known options: ${known.join(', ')}`)
    err.code = 'ERR_INVALID_ARG_VALUE'
    throw err
  }
  return { ...defaults, ...options }
}

function editDistance(a, b) {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    row = next
  }
  return row[b.length]
}

function describe(value) {
  if (value === null) return 'null'
  if (typeof value === 'object') return `an instance of ${value.constructor ? value.constructor.name : 'Object'}`
  return `type ${typeof value} (${String(value).slice(0, 40)})`
}

/** What an aborted hunt rejects with: code 'ABORT_ERR', the signal's reason as `cause`. */
function abortError(signal) {
  return codedError('ABORT_ERR', 'The hunt was aborted', { cause: signal.reason })
}

module.exports = { fromNative, callNative, invalidArg, outOfRange, checkOptions, codedError, abortError }
