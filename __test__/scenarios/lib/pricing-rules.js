'use strict'
// Data a service reads as a module: required again whenever it "reloads" its rules.
module.exports = { rules: Array.from({ length: 20 }, (_, i) => ({ sku: `sku-${i}`, discount: i % 5 })) }
