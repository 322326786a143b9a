// report.html: the same verdicts as report.md, plus what a table cannot show — a timeline per
// scenario. One lane per deployment: alive (standby), holding a lease (one shade per partition),
// paused, cut off by a network fault; deliveries as ticks coloured by what the receiver said;
// every fault as a shaded band. One self-contained file: inline CSS and SVG, no script, no
// network, so it opens from disk anywhere and prints as it looks.
import type { Report } from './model.ts';
import { instancesByLabel, type History } from '../history.ts';
import { holds as holdsOf } from '../checkers/leases.ts';
import { timelineOf, type Span } from '../timeline.ts';

const esc = (s: unknown) => String(s).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);

const WIDTH = 960;
const LEFT = 70;
const LANE = 26;
const SHADES = ['#2563eb', '#7c3aed', '#0891b2', '#4f46e5', '#0d9488', '#9333ea', '#1d4ed8', '#6d28d9'];
const TICK: Record<string, string> = { accepted: '#16a34a', duplicate: '#f59e0b', stale: '#dc2626' };

function timeline(h: History): string {
  const { endMs: end, lanes, faults } = timelineOf(h);
  const x = (t: number) => LEFT + (Math.max(0, t) / end) * (WIDTH - LEFT - 40);
  const ids = instancesByLabel(h);
  const held = holdsOf(h);
  const locks = [...new Set(held.map((x2) => x2.lock))].sort();
  const height = lanes.length * LANE + 40;
  const rect = (s: Span, y: number, h2: number, fill: string, cls: string, title: string) =>
    `<rect class="${cls}" x="${x(s.from).toFixed(1)}" y="${y}" width="${Math.max(1, x(s.to) - x(s.from)).toFixed(1)}" height="${h2}" fill="${fill}"><title>${esc(title)}</title></rect>`;
  const span = (s: Span) => `${(s.from / 1000).toFixed(1)}–${(s.to / 1000).toFixed(1)} s`;
  // Faults on the store itself shade every lane; a deployment's own faults are drawn in its lane.
  const faultBands = faults.filter((f) => !lanes.some((l) => f.name.endsWith(` ${l.label}`)))
    .map((f) => rect(f, 0, height - 20, 'rgba(220,38,38,0.08)', 'fault', `${f.name} ${span(f)}`));
  const laneSvg = lanes.map((lane, i) => {
    const { label } = lane;
    const y = 10 + i * LANE;
    const id = ids.get(label);
    const ticks = h.deliveries.filter((d) => d.instance === id).map((d) =>
      `<line class="delivery ${esc(d.status)}" x1="${x(d.t).toFixed(1)}" x2="${x(d.t).toFixed(1)}" y1="${y + 17}" y2="${y + 23}" stroke="${TICK[d.status] ?? '#64748b'}"><title>seq ${esc(d.seq)} fence ${esc(d.fence)}: ${esc(d.status)}</title></line>`);
    return [
      `<g class="lane" data-deployment="${esc(label)}">`,
      `<text x="4" y="${y + 15}" class="label">${esc(label)}</text>`,
      ...lane.alive.map((s) => rect(s, y + 2, 16, '#e2e8f0', 'standby', `${label} alive ${span(s)}`)),
      ...held.filter((x2) => x2.source === label).map((x2) => rect({ from: x2.start, to: x2.end }, y + 2, 16, SHADES[locks.indexOf(x2.lock) % SHADES.length]!, 'holding',
        `${label} holds ${x2.lock} fence ${x2.fence}, ${span({ from: x2.start, to: x2.end })} (${x2.endedBy})`)),
      ...lane.paused.map((s) => rect(s, y + 2, 16, 'url(#hatch)', 'paused', `${label} paused (SIGSTOP) ${span(s)}`)),
      ...lane.cut.map((s) => rect(s, y, 20, 'rgba(220,38,38,0.25)', 'partitioned', `${label} network fault ${span(s)}`)),
      ...lane.kills.map((e) => `<text class="kill" x="${x(e.t).toFixed(1)}" y="${y + 15}">✕<title>${esc(e.signal)} ${esc(label)} at ${(e.t / 1000).toFixed(1)} s</title></text>`),
      ...ticks,
      '</g>',
    ].join('');
  });
  const axis = Array.from({ length: 11 }, (_, i) => {
    const t = (end * i) / 10;
    return `<text class="axis" x="${x(t).toFixed(1)}" y="${height - 4}">${(t / 1000).toFixed(1)} s</text>`;
  });
  return `<svg class="timeline" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="timeline">` +
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fde68a"/><line x1="0" y1="0" x2="0" y2="6" stroke="#b45309" stroke-width="2"/></pattern></defs>' +
    [...faultBands, ...laneSvg, ...axis].join('') + '</svg>';
}

// Words with colours rather than emoji: a machine without an emoji font shows them too.
const STATUS: Record<string, string> = { passed: 'PASS', failed: 'FAIL', error: 'ERROR', skipped: 'skipped', 'not-exercised': 'not exercised' };
const CHECK: Record<string, string> = { pass: 'PASS', fail: 'FAIL', 'not-exercised': 'not exercised', error: 'ERROR' };

export function toHtml(r: Report, histories: Map<string, History>): string {
  const sections = r.scenarios.map((s, i) => {
    const h = histories.get(s.name);
    const rows = s.checks.map((c) => `<tr class="${esc(c.status)}"><td>${esc(c.name)}</td><td class="v">${CHECK[c.status]}</td><td>${esc(c.measured)} ${esc(c.unit)}</td><td>${esc(c.bound)}</td></tr>`);
    return `<section class="scenario" id="${esc(s.name)}"><h2>${i + 1}. ${esc(s.title)} <span class="status ${esc(s.status)}">${STATUS[s.status]}</span></h2>` +
      `<p class="claim"><code>${esc(s.name)}</code> · ${(s.durationMs / 1000).toFixed(1)} s · ${esc(s.claim)}</p>` +
      (s.skipped ? `<p>${s.status === 'skipped' ? 'Not run on this store' : 'Not exercised'}: ${esc(s.skipped)}</p>` : (h ? timeline(h) : '') +
        `<table><thead><tr><th>Check</th><th></th><th>Measured</th><th>Bound</th></tr></thead><tbody>${rows.join('')}</tbody></table>`) +
      '</section>';
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>baton verify — ${esc(STATUS[r.status] ?? r.status)}</title><style>${CSS}</style></head><body>` +
    `<h1>Distributed system verification</h1><p class="summary">${esc(r.status.toUpperCase())} · ${esc(r.store.version)} · seed ${r.seed} · ${(r.durationMs / 1000).toFixed(1)} s · <code>${esc(r.command)}</code></p>` +
    `<p class="legend"><span class="k standby"></span> alive, standby <span class="k holding"></span> holding a lease (a shade per partition) <span class="k paused"></span> paused <span class="k partitioned"></span> network fault ✕ killed or stopped · ticks: <span style="color:${TICK.accepted}">accepted</span>, <span style="color:${TICK.duplicate}">duplicate</span>, <span style="color:${TICK.stale}">stale (refused)</span></p>` +
    sections.join('') + '</body></html>\n';
}

const CSS = `body{font:14px system-ui,sans-serif;margin:24px;color:#0f172a;max-width:1000px}h2{font-size:17px;margin-top:28px}
.status{font-weight:normal}.claim{color:#475569}table{border-collapse:collapse;margin-top:8px}td,th{border:1px solid #cbd5e1;padding:3px 8px;text-align:left}
tr.fail td{background:#fee2e2}tr.error td{background:#fef3c7}tr.pass .v,.status.passed{color:#15803d;font-weight:600}
tr.fail .v,.status.failed{color:#b91c1c;font-weight:600}tr.error .v,.status.error{color:#b45309;font-weight:600}tr.not-exercised .v{color:#64748b}.timeline{display:block;border:1px solid #e2e8f0;background:#fff}
.label{font:12px monospace;fill:#0f172a}.axis{font:10px sans-serif;fill:#64748b}.kill{font:13px sans-serif;fill:#dc2626}
.delivery{stroke-width:1}.legend .k{display:inline-block;width:14px;height:10px;margin:0 4px 0 10px;vertical-align:middle}
.k.standby{background:#e2e8f0}.k.holding{background:#2563eb}.k.paused{background:#fde68a}.k.partitioned{background:rgba(220,38,38,.25)}`;
