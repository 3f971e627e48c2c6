'use strict'
// An HTTP server in a process of its own (a peer service), so that only the client side of
// each connection is in the heap being hunted. Resolves to its port; the peer ends when our
// end of its stdin closes, with us.
const { spawn } = require('node:child_process')
function startPeer() {
  const child = spawn(process.execPath, ['-e', "const s = require('node:http').createServer((q, r) => r.end('ok')).listen(0, '127.0.0.1', () => console.log(s.address().port)); process.stdin.on('end', () => process.exit(0)).resume()"], { stdio: ['pipe', 'pipe', 'inherit'] })
  return new Promise((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d).trim()))))
}
module.exports = { startPeer }
