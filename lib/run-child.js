'use strict'
// `leakhunt run`'s fresh process: loads the scenario (CommonJS or ESM), runs setup() once,
// hunts action(ctx), runs teardown(), and sends the report to the parent over IPC.
const { pathToFileURL } = require('node:url')
const { hunt } = require('./hunt.js')

const [scenarioPath, optionsJson] = process.argv.slice(2)

function send(message) {
  return new Promise((resolve) => process.send(message, resolve))
}

async function main() {
  const loaded = await import(pathToFileURL(scenarioPath).href)
  // CommonJS modules arrive as `default`; ESM ones export by name.
  const scenario = typeof loaded.action === 'function' ? loaded : loaded.default || {}
  if (typeof scenario.action !== 'function') {
    throw Object.assign(new Error(`${scenarioPath} exports no action() function (it needs action, and may have setup and teardown)`), {
      code: 'ERR_LEAKHUNT_BAD_SCENARIO',
    })
  }
  const ctx = typeof scenario.setup === 'function' ? await scenario.setup() : undefined
  let report
  try {
    const options = JSON.parse(optionsJson)
    report = await hunt(() => scenario.action(ctx), {
      ...options,
      onProgress: (progress) => process.send({ type: 'progress', progress }),
    })
  } finally {
    if (typeof scenario.teardown === 'function') await scenario.teardown(ctx)
  }
  await send({ type: 'report', report })
}

main()
  .catch((err) => send({ type: 'error', message: err && err.message ? err.message : String(err), code: err && err.code }))
  // Exit by hand (the scenario may leave servers or timers behind), after a moment in the event
  // loop: on Node 24 a process.exit() right after a hunt can hang for good, a V8 background
  // compile job waiting for a GC the exiting thread never runs. The parent also stops
  // waiting once it has the report.
  .finally(() => setTimeout(() => process.exit(0), 50))
