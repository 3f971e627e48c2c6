'use strict'
// A module whose export is a Map other modules fill (module-exported-map.js).
module.exports = new Map()
