// Compiled by the test suite with `tsc --noEmit --strict`: the public types must describe real use.
import { hunt, attach, formatReport, formatProfileReport, ProfileReport, renderHtml, renderSuiteHtml, monitor, gc, takeSnapshot, readSnapshot, analyzeSnapshots, SnapshotParser, HuntReport, LeakReport, SuiteReport } from '..'
import LeakhuntReporter = require('../runners/jest-reporter')

async function main(): Promise<void> {
  const report: HuntReport = await hunt(async (i) => i, { iterations: 5, signal: new AbortController().signal, leakFilter: (g) => g.verdict.reason !== 'one-time' })
  const text: string = formatReport(report)
  const first = report.leaks[0]
  if (first) console.log(first.name, first.countPerIteration, first.retainerPath.map((s) => s.edge).join('.'), first.location?.scriptName, text)
  const traced: HuntReport = await hunt(() => undefined, { trackAllocations: true })
  for (const group of traced.leaks) {
    const top = group.allocationStacks[0]?.frames[0]
    if (top) console.log(`${top.functionName} (${top.scriptName ?? top.scriptId}:${top.line}:${top.column})`, group.tracedCount)
    const ran = group.location?.generated ?? top?.generated
    if (ran) console.log(`generated ${ran.scriptName}:${ran.line}:${ran.column}`)
  }
  const unmapped: HuntReport = await hunt(() => undefined, { sourceMaps: false })
  console.log(unmapped.summary.sourceMaps?.notes.join('\n'), traced.summary.sourceMaps?.mapped)
  const attached: HuntReport = await attach('127.0.0.1:9229', { request: { url: 'http://127.0.0.1:3000/orders', method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, iterations: 10 })
  const page: HuntReport = await attach('http://127.0.0.1:9222', { target: 'localhost:8080', eval: "document.querySelector('#open').click()", ignoreMemoryCheck: false })
  const byPid: HuntReport = await attach(undefined, { pid: 4242, wait: 20_000 })
  console.log(attached.summary.attached?.kind, page.summary.attached?.url, byPid.summary.attached?.action)
  const profiled: ProfileReport = await attach(undefined, { pid: 4242, profile: 60_000, request: 'http://127.0.0.1:3000/login', speedscope: '/tmp/growth.json' })
  for (const site of profiled.sites) console.log(site.location.functionName, site.location.line, site.bytesPerMinute, site.samples, site.stack.length)
  console.log(formatProfileReport(profiled), profiled.summary.snapshot)
  const watched = monitor({ profile: { samplingInterval: 65_536 } })
  watched.on('leak', (e) => console.log(e.sites?.[0]?.location.scriptName))
  console.log(watched.stats().sites?.length)
  watched.stop()
  const html: string = renderHtml(traced, { title: 'hunt' })
  for (const group of traced.leaks) if (group.cause.pattern !== 'unknown') console.log(group.cause.title, group.cause.hint)
  const m = monitor({ windowMs: 60_000, snapshotOnLeak: { dir: '/tmp/snaps' } })
  m.on('leak', (e) => console.log(e.slopeBytesPerMinute, e.samples.length, html.length))
  console.log(m.stats().gc.major?.count, m.stats().trend.suspected)
  m.stop()
  await gc({ type: 'minor' })
  const snapshot = await takeSnapshot({ mode: 'full' })
  const summary = await snapshot.summary(10)
  console.log(summary.topByRetainedSize[0]?.retainedSize)
  const offline: LeakReport = await analyzeSnapshots('a', await readSnapshot('b', { mode: 'ids' }), snapshot, { iterations: 5, sourceMaps: true })
  console.log(offline.summary.final.nodeCount, offline.summary.sourceMaps?.maps)
  const realms = await snapshot.keptRealms(['leakhunt:sandbox:1'], ['/srv/app/node_modules/jest/'])
  console.log(realms[0]?.entry?.holder, realms[0]?.keptByRunner)
  const suite: SuiteReport = JSON.parse('{}')
  for (const g of suite.groups) console.log(`${g.files.length} of ${g.ofFiles} kept by ${g.holder}`, g.madeAt?.line, g.fix, g.chain)
  for (const k of suite.kept) console.log(k.file, k.retainedSize, k.through, k.release?.method)
  console.log(suite.workers ?? 0, suite.workersNotChecked?.length, renderSuiteHtml(suite, { title: 'suite' }).length)
  const reporter = new LeakhuntReporter({}, { outputFile: 'suite.json', htmlFile: 'suite.html' })
  console.log(reporter.report?.files, reporter.getLastError()?.message)
  const parser = new SnapshotParser({ source: 'x' })
  parser.write(new Uint8Array(0))
  await parser.end()
}
void main
