'use strict'
// The native HeapSnapshot class, with its async methods' arguments checked and their errors
// translated (ERR_LEAKHUNT_* codes) in this one place. It stays the native class itself, so
// that `instanceof` holds for handles from any entry point; every module that calls a method
// of a handle requires this module, never relying on another having patched it first.
const binding = require('./binding.js')
const { callNative, invalidArg, outOfRange } = require('./errors.js')

const { HeapSnapshot } = binding

const nativeSummary = HeapSnapshot.prototype.summary
const nativeLocate = HeapSnapshot.prototype.locate

// Guarded against a second evaluation of this file (two copies of the package in one process
// share the native class): the methods are wrapped once.
if (!nativeSummary.leakhuntChecked) {
  HeapSnapshot.prototype.summary = Object.assign(
    function summary(top) {
      if (top !== undefined && !Number.isInteger(top)) return Promise.reject(invalidArg('top', 'an integer', top))
      if (top !== undefined && top < 1) return Promise.reject(outOfRange('top', '>= 1', top))
      return callNative(() => nativeSummary.call(this, top))
    },
    { leakhuntChecked: true },
  )
  HeapSnapshot.prototype.locate = Object.assign(
    function locate(edgeNames) {
      if (!(Array.isArray(edgeNames) && edgeNames.length > 0 && edgeNames.every((n) => typeof n === 'string'))) {
        return Promise.reject(invalidArg('edgeNames', 'a non-empty array of strings', edgeNames))
      }
      return callNative(() => nativeLocate.call(this, edgeNames))
    },
    { leakhuntChecked: true },
  )
}

module.exports = { HeapSnapshot }
