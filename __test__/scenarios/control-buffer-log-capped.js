'use strict'
// The webhook log kept to its last 4 KB: concatenated, then cut. Full before the hunt's
// baseline, so it keeps its size throughout: not a leak.
let webhookLog = Buffer.alloc(0)
let next = 0
const append = () => {
  webhookLog = Buffer.concat([webhookLog, Buffer.from(`{"id":${next++},"note":"${'x'.repeat(200)}"}\n`)])
  if (webhookLog.length > 4096) webhookLog = Buffer.from(webhookLog.subarray(webhookLog.length - 4096))
}
for (let i = 0; i < 40; i++) append()
module.exports = { kind: 'control', action: append }
