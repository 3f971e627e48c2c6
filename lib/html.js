'use strict'
// The HTML report: one self-contained file (inline CSS, inline SVG, a few lines of inline JS
// for sorting; no network, no external assets), to attach to a CI run or send to a colleague.
// Every string from the heap is escaped here and was already cut short by the Rust core.
const { checkOptions } = require('./errors.js')
const { bytes, frameCall, overCalls, plural, rate, via, isVariable, defined, growthName, gains, alongsideList, alongsideWhy, sharedList, programClassAt, madeAtText } = require('./phrases.js')

const esc = (value) =>
  String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c])

const num = (n) => (typeof n === 'number' ? n.toLocaleString('en-US') : '—')

function origin(group) {
  const top = group.allocationStacks && group.allocationStacks[0] && group.allocationStacks[0].frames[0]
  if (top) return `allocated at ${frameCall(top)}`
  return defined(group).replace(/^,? /, '')
}

function pathHtml(steps, below = false) {
  if (!below && (!steps || steps.length === 0)) return '<p class="muted">No path from the GC roots: held only by weak or internal references.</p>'
  const items = (steps || []).map((step, i) => {
    if (step.elided) return `<li class="muted">… ${num(step.elided)} more steps …</li>`
    if (i === 0 && !below) return `<li><span class="holder">${esc(step.name)}</span></li>`
    const kind = isVariable(step) ? ' <span class="muted">(closure variable)</span>' : ''
    return `<li><span class="edge">${esc(via(step))}</span>${kind} → <span class="holder">${esc(step.name)}</span></li>`
  })
  return `<ol class="path${below ? ' below' : ''}">${items.join('')}</ol>`
}

function stacksHtml(group) {
  const stacks = group.allocationStacks || []
  if (stacks.length === 0) return ''
  const blocks = stacks.map((stack) => {
    const frames = stack.frames.map((f, i) => `${i === 0 ? 'allocated at' : '    at'} ${frameCall(f)}`)
    return `<pre class="stack">${esc(frames.join('\n'))}</pre><p class="muted">${num(stack.count)} of ${num(group.count)} objects</p>`
  })
  return `<h4>Where it was allocated</h4>${blocks.join('')}`
}

function causeHtml(group) {
  if (!group.cause) return ''
  const hint = group.cause.hint ? `<br><span class="hint">Fix: ${esc(group.cause.hint)}</span>` : ''
  return `<p class="cause"><strong>${esc(group.cause.title || group.cause.pattern)}</strong>${group.cause.detail ? ` — ${esc(group.cause.detail)}` : ''}${hint}</p>`
}

function leakRow(point, i) {
  return `<tr data-count="${point.count}" data-retained="${point.retainedSize}" data-self="${point.selfSize}" data-name="${esc(growthName(point))}">
<td><a href="#leak-${i}">${esc(growthName(point))}</a></td>
<td>${esc(point.name)}</td><td class="n">${num(point.count)}</td><td class="n">${esc(rate(point) || '—')}</td>
<td class="n">${bytes(point.selfSize)}</td><td class="n">${bytes(point.retainedSize)}</td><td class="where">${esc(origin(point))}</td></tr>`
}

function breakdownHtml(point) {
  const classes = point.breakdown || []
  if (classes.length === 0) return ''
  const rows = classes.map((c) => `<tr><td>${esc(c.name)}</td><td>${esc(c.kind)}</td><td class="n">${num(c.count)}</td><td class="n">${bytes(c.selfSize)}</td><td class="n">${bytes(c.retainedSize)}</td><td class="where">${esc(programClassAt(point, c) || '')}</td></tr>`)
  return `<h4>What hangs from it</h4><table class="held"><thead><tr><th>class</th><th>kind</th><th class="n">objects</th><th class="n">self</th><th class="n">retained</th><th>defined at</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

/** One card per growth point: what grows, what hangs from it, the cause, the path. */
function leakDetail(point, i) {
  const samples = point.sampleIds && point.sampleIds.length ? `<p class="muted">Sample ids: ${point.sampleIds.map((id) => `@${id}`).join(' ')}</p>` : ''
  const below = point.samplePath && point.samplePath.length ? `<p class="muted">It grows here; on to one ${esc(point.name)}:</p>${pathHtml(point.samplePath, true)}` : ''
  return `<section class="leak" id="leak-${i}">
<h3>${esc(growthName(point))} <span class="muted">${esc(gains(point))}</span></h3>
<p>${esc(plural(point.count, 'object'))} in all, ${bytes(point.selfSize)} self, ${bytes(point.retainedSize)} retained${point.location ? `; ${esc(origin(point))}` : ''}</p>
${point.alongside && point.alongside.length ? `<p>Grows alongside (${esc(alongsideWhy(point))}): ${esc(alongsideList(point))}</p>` : ''}
${point.sharedWith && point.sharedWith.length ? `<p>Also held by: ${esc(sharedList(point))} (the same objects, counted once)</p>` : ''}
${causeHtml(point)}
${breakdownHtml(point)}
<h4>Retained by</h4>${pathHtml(point.retainerPath)}${below}
${stacksHtml(point)}${samples}</section>`
}

/** An SVG line chart: points (x, y) with labelled vertical marks. No script, no fonts. */
function chart({ points, marks, xLabel, title }) {
  const W = 720
  const H = 260
  const pad = { l: 70, r: 24, t: 40, b: 40 }
  if (points.length === 0) return ''
  const xs = points.map((p) => p[0])
  const ys = points.map((p) => p[1])
  const x0 = Math.min(...xs)
  const x1 = Math.max(...xs, x0 + 1)
  const yMax = Math.max(...ys) * 1.1 || 1
  const yMin = Math.max(0, Math.min(...ys) * 0.9)
  const sx = (x) => pad.l + ((x - x0) / (x1 - x0)) * (W - pad.l - pad.r)
  const sy = (y) => H - pad.b - ((y - yMin) / (yMax - yMin || 1)) * (H - pad.t - pad.b)
  const line = points.map((p) => `${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join(' ')
  const ticks = [0, 0.5, 1].map((f) => yMin + f * (yMax - yMin))
  let lastLabelX = -Infinity
  let lifted = false
  const markSvg = marks
    .map((m) => {
      const x = sx(m.x)
      // Two snapshots close together (target and final, around a short settle): the second
      // label goes up a line instead of over the first.
      lifted = x - lastLabelX < 48 ? !lifted : false
      lastLabelX = x
      const y = pad.t - (lifted ? 20 : 8)
      return `<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${pad.t}" y2="${H - pad.b}" class="mark"/><text x="${x.toFixed(1)}" y="${y}" text-anchor="middle" class="label">${esc(m.label)}</text>`
    })
    .join('')
  const dots = points.length <= 12 ? points.map((p) => `<circle cx="${sx(p[0]).toFixed(1)}" cy="${sy(p[1]).toFixed(1)}" r="4" class="dot"/>`).join('') : ''
  return `<figure><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">
${ticks.map((y) => `<line x1="${pad.l}" x2="${W - pad.r}" y1="${sy(y).toFixed(1)}" y2="${sy(y).toFixed(1)}" class="grid"/><text x="${pad.l - 6}" y="${(sy(y) + 4).toFixed(1)}" text-anchor="end" class="label">${esc(bytes(Math.round(y)))}</text>`).join('')}
<polyline points="${line}" class="series"/>${dots}${markSvg}
<text x="${W / 2}" y="${H - 8}" text-anchor="middle" class="label">${esc(xLabel)}</text>
</svg><figcaption>${esc(title)}</figcaption></figure>`
}

function memoryChart(report) {
  const s = report.summary || {}
  if (s.timeline && s.timeline.t.length > 0) {
    // By step, not by clock: snapshots take far longer than calls, and on a time axis the calls,
    // where the heap climbs, would be squeezed into slivers. `phasesMs` has the times.
    const { t, heapUsed } = s.timeline
    const points = heapUsed.map((h, i) => [i, h])
    const marks = Object.entries(s.timeline.snapshotAt || {})
      .filter(([, at]) => at >= 0)
      .map(([name, at]) => ({ x: Math.max(0, t.indexOf(at)), label: name }))
    return chart({
      points,
      marks,
      xLabel: 'the hunt step by step: a point before each call, after the settle GC and after each snapshot',
      title: 'Heap used over the hunt: warm-up, the calls, the settle, and the snapshots (marked). Objects new at the target and still alive at the final snapshot are the suspects.',
    })
  }
  const names = ['baseline', 'target', 'final'].filter((n) => s[n])
  const points = names.map((n, i) => [i, s[n].totalSize])
  return chart({
    points,
    marks: names.map((n, i) => ({ x: i, label: n })),
    xLabel: 'snapshot',
    title: 'Heap size (sum of self sizes) at each snapshot',
  })
}

function snapshotTable(report) {
  const s = report.summary || {}
  const names = ['baseline', 'target', 'final', 'confirm'].filter((n) => (s.nodeCount && s.nodeCount[n] !== undefined) || s[n])
  const rows = names.map((n) => {
    const stats = s[n] || {}
    const nodes = s.nodeCount && s.nodeCount[n] !== undefined ? s.nodeCount[n] : stats.nodeCount
    const heap = s.heapUsed && s.heapUsed[n] !== undefined ? bytes(s.heapUsed[n]) : stats.totalSize !== undefined ? bytes(stats.totalSize) : '—'
    const size = s.snapshotBytes && s.snapshotBytes[n] !== undefined ? s.snapshotBytes[n] : stats.bytes
    return `<tr><td>${n}</td><td class="n">${num(nodes)}</td><td class="n">${heap}</td><td class="n">${size ? bytes(size) : '—'}</td></tr>`
  })
  return `<table><thead><tr><th>snapshot</th><th>objects</th><th>${s.heapUsed ? 'heap used' : 'heap size'}</th><th>snapshot text</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

/** What the source maps did: positions moved into the user's source, maps that were ignored. */
function sourceMapNotes(maps) {
  if (!maps || (maps.mapped === 0 && maps.notes.length === 0)) return ''
  const mapped = maps.mapped > 0 ? `<p class="muted">Positions shown in your source: ${esc(plural(maps.mapped, 'position'))} mapped through ${esc(plural(maps.maps, 'source map'))}; the code V8 ran follows as “generated”.</p>` : ''
  return `${mapped}${maps.notes.map((n) => `<p class="muted">Source map ignored: ${esc(n)}</p>`).join('')}`
}

const CSS = `
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0 auto;max-width:1100px;padding:24px;color:#1d2330;background:#fff}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin-top:32px;border-bottom:1px solid #dde;padding-bottom:4px}
h3{margin:0 0 6px;font-size:17px}h4{margin:14px 0 4px;font-size:14px;text-transform:uppercase;letter-spacing:.04em;color:#556}
.verdict{font-size:18px;padding:10px 14px;border-radius:6px}.bad{background:#fde8e8;color:#8a1c1c}.good{background:#e5f6ea;color:#185c2c}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{padding:6px 8px;border-bottom:1px solid #e6e8ef;text-align:left;vertical-align:top}
th{background:#f4f5f9;font-weight:600}th.sortable{cursor:pointer;user-select:none}th.sortable:after{content:" ⇅";color:#99a}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}td.where{font-family:ui-monospace,monospace;font-size:12.5px;word-break:break-all}
.muted{color:#778}.leak{border:1px solid #e3e5ee;border-radius:8px;padding:14px 16px;margin:14px 0}
ol.path{list-style:none;padding-left:0;margin:4px 0;font-family:ui-monospace,monospace;font-size:13px}
ol.path li{padding:2px 0 2px 14px;border-left:2px solid #c9cde0;margin-left:6px}.edge{color:#6a3fb5}.holder{font-weight:600}
pre.stack{background:#f6f7fb;padding:8px 10px;border-radius:6px;font-size:12.5px;overflow-x:auto;margin:4px 0}
.cause{background:#fff7e0;border-left:4px solid #e2a400;padding:8px 10px}.hint{color:#5b4a00}
svg{width:100%;max-width:760px;height:auto}.series{fill:none;stroke:#3b5bdb;stroke-width:2}.dot{fill:#3b5bdb}
.grid{stroke:#eceef4}.mark{stroke:#d9480f;stroke-dasharray:4 3}.label{font-size:11px;fill:#556}figcaption{color:#667;font-size:13px}
code{font-family:ui-monospace,monospace;font-size:13px}`

// Sorts the leak table by a column's data attribute, largest first; clicking again reverses.
const SCRIPT = `
document.querySelectorAll('th.sortable').forEach(function (th) {
  th.addEventListener('click', function () {
    var key = th.getAttribute('data-key');
    var body = th.closest('table').querySelector('tbody');
    var desc = th.getAttribute('data-desc') !== 'true';
    th.setAttribute('data-desc', String(desc));
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.getAttribute('data-' + key), y = b.getAttribute('data-' + key);
      var d = key === 'name' ? x.localeCompare(y) : Number(x) - Number(y);
      return desc ? -d : d;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
// A link can open the page sorted: report.html#sort=retained
var wanted = /^#sort=(\\w+)$/.exec(location.hash);
var header = wanted && document.querySelector('th.sortable[data-key="' + wanted[1] + '"]');
if (header) header.click();
document.body.setAttribute('data-ready', 'true');`

/**
 * The report as one self-contained HTML page.
 * @param {object} report from hunt() or analyzeSnapshots()
 * @param {{ title?: string }} [options]
 */
function renderHtml(report, options) {
  options = checkOptions(options, { title: undefined, generatedAt: undefined }, 'renderHtml')
  const s = report.summary || {}
  const leaks = report.leaks || []
  const title = options.title || 'leakhunt report'
  const calls = esc(overCalls(s))
  const verdict = leaks.length
    ? `<p class="verdict bad">${leaks.length} leak${leaks.length === 1 ? '' : 's'} found${calls}: ${num(s.leakedObjectCount)} objects, ${bytes(s.leakedRetainedSize || 0)} retained.</p>`
    : `<p class="verdict good">No leaks found${calls}.</p>`
  const listeners = report.listenerGrowth || []
  const listenerTable = listeners.length
    ? `<h2>Listeners that grow with the calls</h2><table><thead><tr><th>emitter</th><th>event</th><th class="n">listeners</th><th class="n">per call</th><th>held by</th></tr></thead><tbody>${listeners
        .map((g) => `<tr><td>${esc(g.emitter)}</td><td>${esc(g.event)}</td><td class="n">${num(g.before)} → ${num(g.after)}</td><td class="n">${esc(Number.isInteger(g.perCall) ? g.perCall : (g.perCall || 0).toFixed(2))}</td><td>${pathHtml(g.retainerPath)}</td></tr>`)
        .join('')}</tbody></table>`
    : ''
  const retained = report.retained || []
  const retainedTable = retained.length
    ? `<h2>Also alive, not judged leaks (${retained.length})</h2><table><thead><tr><th>name</th><th class="n">objects</th><th class="n">retained</th><th>why not a leak</th></tr></thead><tbody>${retained
        .map((g) => `<tr><td>${esc(growthName(g))}</td><td class="n">${num(g.count)}</td><td class="n">${bytes(g.retainedSize)}</td><td>${esc(g.verdict ? g.verdict.reason : '')}</td></tr>`)
        .join('')}</tbody></table>`
    : ''
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body>
<h1>${esc(title)}</h1>
<p class="muted">leakhunt report schema ${esc(report.schemaVersion)}${options.generatedAt ? `, ${esc(options.generatedAt)}` : ''}</p>
${verdict}
<h2>Memory</h2>
${memoryChart(report)}
${snapshotTable(report)}
<h2>Leaks</h2>
${
  leaks.length
    ? `<table id="leaks"><thead><tr><th class="sortable" data-key="name">what grows</th><th>leading class</th><th class="sortable n" data-key="count">objects</th><th class="n">per call</th><th class="sortable n" data-key="self">self</th><th class="sortable n" data-key="retained">retained</th><th>where</th></tr></thead>
<tbody>${leaks.map(leakRow).join('')}</tbody></table>
${leaks.map(leakDetail).join('\n')}`
    : '<p>Nothing new since the baseline is still alive at the final snapshot and held by the program.</p>'
}
${listenerTable}
${retainedTable}
${sourceMapNotes(s.sourceMaps)}
<script>${SCRIPT}</script>
</body></html>
`
}

/** One card per holder of kept test files: what it holds, who made it, the fix, the files, a path. */
function keptGroupCard(group, i, kept) {
  const first = kept.find((k) => group.files.includes(k.file))
  const made = group.reference ? `<p>It holds <code>${esc(group.reference.name)}</code>${esc(madeAtText(group))}${group.madeAt && group.madeAt.generated ? ` <span class="muted">(generated ${esc(`${group.madeAt.generated.scriptName}:${group.madeAt.generated.line}:${group.madeAt.generated.column}`)})</span>` : ''}.</p>` : ''
  return `<section class="leak" id="holder-${i}">
<h3>${esc(`${group.files.length} of ${group.ofFiles}`)} test files kept by <code>${esc(group.holder)}</code>${group.chain ? ' <span class="muted">(a chain: each file keeps the one before it)</span>' : ''}</h3>
<p class="muted">${bytes(group.averageSize)} each, ${bytes(group.retainedSize)} in all</p>
${made}
<p class="cause"><span class="hint">Fix: ${esc(group.fix)}</span></p>
<h4>Files</h4><ul>${group.files.map((f) => `<li><code>${esc(f)}</code></li>`).join('')}</ul>
${first ? `<h4>Why ${esc(first.file)} is alive</h4>${pathHtml(first.retainerPath)}` : ''}
</section>`
}

/**
 * A suite check's report (`leakhunt jest`, `leakhunt vitest`, the Jest reporter) as one
 * self-contained HTML page.
 * @param {object} report a SuiteReport
 * @param {{ title?: string, generatedAt?: string }} [options]
 */
function renderSuiteHtml(report, options) {
  options = checkOptions(options, { title: undefined, generatedAt: undefined }, 'renderSuiteHtml')
  const title = options.title || 'leakhunt: finished test files that stay alive'
  const groups = report.groups || []
  const kept = report.kept || []
  const verdict = report.note
    ? `<p class="verdict good">No test file was checked: ${esc(report.note)}</p>`
    : groups.length
      ? `<p class="verdict bad">${num(kept.length)} of ${num(report.files)} finished test files stay alive.</p>`
      : `<p class="verdict good">No finished test file stays alive (${num(report.files)} checked).</p>`
  const table = groups.length
    ? `<table><thead><tr><th>kept by</th><th class="n">files</th><th class="n">each</th><th>made at</th></tr></thead><tbody>${groups
        .map((g, i) => `<tr><td><a href="#holder-${i}">${esc(g.holder)}</a></td><td class="n">${num(g.files.length)}</td><td class="n">${bytes(g.averageSize)}</td><td class="where">${esc(g.madeAt ? `${g.madeAt.scriptName}:${g.madeAt.line}:${g.madeAt.column}` : '')}</td></tr>`)
        .join('')}</tbody></table>${groups.map((g, i) => keptGroupCard(g, i, kept)).join('\n')}`
    : ''
  const notes = []
  if (report.keptByRunner && report.keptByRunner.length) notes.push(`${num(report.keptByRunner.length)} files are also kept only by the test runner's own machinery: the runner's doing, not the files'.`)
  if (report.failedNotChecked && report.failedNotChecked.length) notes.push(`Not checked, because their tests failed (the runner keeps their errors, and an error keeps its file): ${report.failedNotChecked.map(esc).join(', ')}.`)
  if (report.unfinished && report.unfinished.length) notes.push(`Not checked, still finishing their teardown: ${report.unfinished.map(esc).join(', ')}.`)
  if (report.workersNotChecked && report.workersNotChecked.length) notes.push(...report.workersNotChecked.map((w) => `Not checked: ${esc(w)}.`))
  if (report.noRoom) notes.push(`No room for a heap snapshot: ${esc(report.noRoom)}`)
  const runner = report.vitest ? `Vitest ${report.vitest}${report.pool ? `, pool ${report.pool}` : ''}` : report.jest ? `Jest ${report.jest}` : 'Jest'
  const facts = [runner, report.workers ? `${num(report.workers)} workers` : null, `heap used at the check ${bytes(report.heapUsed || 0)}`, report.snapshotMs ? `snapshot ${(report.snapshotMs / 1000).toFixed(1)} s` : null, report.analysisMs ? `analysis ${(report.analysisMs / 1000).toFixed(2)} s` : null].filter(Boolean)
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body>
<h1>${esc(title)}</h1>
<p class="muted">leakhunt suite report schema ${esc(report.schemaVersion)}${options.generatedAt ? `, ${esc(options.generatedAt)}` : ''}; ${esc(facts.join(', '))}</p>
${verdict}
${table}
${notes.map((n) => `<p class="muted">${n}</p>`).join('\n')}
</body></html>
`
}

/** The memory chart alone, as a standalone SVG file (styles inline), e.g. for docs. */
function memoryChartSvg(report) {
  const figure = memoryChart(report)
  const svg = figure.slice(figure.indexOf('<svg'), figure.indexOf('</svg>') + 6)
  const style = `<style>${CSS.split('\n').filter((l) => /^(svg|\.series|\.grid|\.mark|\.label|\.dot)/.test(l)).join('')}text{font-family:sans-serif}</style>`
  return svg.replace('<svg ', '<svg xmlns="http://www.w3.org/2000/svg" ').replace(/(<svg[^>]*>)/, `$1${style}<rect width="100%" height="100%" fill="#fff"/>`)
}

module.exports = { renderHtml, renderSuiteHtml, memoryChartSvg, esc }
