'use strict'
// An HTTP server in a process of its own (a peer service), so that only the client side of
// each connection is in the heap being hunted. Started by the first request, not at require:
// the test runner loads every scenario to read it. The peer ends when our end of its stdin
// closes, with us.
const { spawn } = require('node:child_process')
function startPeer() {
  const child = spawn(process.execPath, ['-e', "const s = require('node:http').createServer((q, r) => r.end('ok')).listen(0, '127.0.0.1', () => console.log(s.address().port)); process.stdin.on('end', () => process.exit(0)).resume()"], { stdio: ['pipe', 'pipe', 'inherit'] })
  return new Promise((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d).trim()))))
}
let peer = null
/** A GET to the peer through `agent`, read to its end; the peer starts with the first. */
async function getFromPeer(agent) {
  const http = require('node:http')
  const port = await (peer ??= startPeer())
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, agent }, (res) => res.resume().on('end', resolve)).on('error', reject)
  })
}

module.exports = { getFromPeer }
