'use strict'
// A lookup table filled once, on the 4th call, then only read.
const table = new Map()
class TableRow {
  constructor(k) {
    this.k = k
  }
}
module.exports = {
  kind: 'control',
  action(i) {
    if (i === 4 && table.size === 0) for (let k = 0; k < 50; k++) table.set(k, new TableRow(k))
    return table.get(i % 50)
  },
}
