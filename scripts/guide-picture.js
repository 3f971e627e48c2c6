'use strict'
// Draws docs/hunt-timeline.svg, the guide's picture of the method, from a real hunt: each call
// leaks ~20 kB (200 rows kept in a module-level array) and makes ~200 kB of garbage, so that
// both the sawtooth and the climbing floor show. Run: node scripts/guide-picture.js
const fs = require('node:fs')
const path = require('node:path')
const { hunt } = require('..')
const { memoryChartSvg } = require('../lib/html.js')

const kept = []

async function main() {
  // Each call also makes ~200 kB of garbage, the sawtooth that plain heap sampling sees.
  let sink = 0
  const report = await hunt(
    () => {
      const garbage = Array.from({ length: 2000 }, (_, k) => ({ k, text: `row ${k}` }))
      sink += garbage.length
      kept.push(Array.from({ length: 200 }, (_, k) => ({ k, row: `kept ${k}` })))
    },
    { iterations: 40, warmup: 3, settleMs: 200 },
  )
  const out = path.join(__dirname, '..', 'docs', 'hunt-timeline.svg')
  fs.writeFileSync(out, `${memoryChartSvg(report)}\n`)
  console.log(`${out}: ${report.leaks.map((g) => `${g.name} ×${g.countPerIteration}`).join(', ')} (${sink})`)
}
main()
