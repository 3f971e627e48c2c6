'use strict'
// The one place where native errors become JS errors people can act on: the binding puts
// the code first in the message ("ERR_LEAKHUNT_X: ..."); here it moves to `err.code`.

const CODE_PREFIX = /^(ERR_LEAKHUNT_[A-Z_]+): /

function fromNative(err) {
  if (!(err instanceof Error)) return err
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

function describe(value) {
  if (value === null) return 'null'
  if (typeof value === 'object') return `an instance of ${value.constructor ? value.constructor.name : 'Object'}`
  return `type ${typeof value} (${String(value).slice(0, 40)})`
}

module.exports = { fromNative, callNative, invalidArg, codedError }
