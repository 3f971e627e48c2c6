'use strict'
// Only temporaries: many objects per call, none kept.
module.exports = {
  kind: 'control',
  action(i) {
    const rows = []
    for (let k = 0; k < 200; k++) rows.push({ k, label: `row-${i}-${k}` })
    return rows.reduce((sum, r) => sum + r.k, 0)
  },
}
