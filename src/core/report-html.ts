// The report as one self-contained HTML page: inline CSS and an inline SVG timeline, no script and nothing
// loaded from elsewhere. It is what a dealer forwards to their supplier as proof, so it reads well on a phone
// and printed. The timeline is drawn to scale between the first and the last stage reached; marks that fall
// (nearly) together are set side by side so each stays visible, in time order.
import { localTime, spanWords } from './local-time.js';
import { reportSpan, type ReportDocument, type ReportStage } from './report.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

type When = (iso: string | null) => string;

/** Marks span 5%–95% of the width; no two closer than MIN_GAP (percent). Unreached stages trail after the last reached. */
const LEFT = 5;
const RIGHT = 95;
const MIN_GAP = 7;

export function markPositions(stages: ReportStage[]): number[] {
  const timed = stages.filter((s) => s.reached && s.at);
  const reachedCount = timed.length;
  const pending = stages.length - reachedCount;
  const reachedRight = pending === 0 ? RIGHT : Math.max(LEFT, RIGHT - pending * (MIN_GAP + 3));
  const first = timed.length ? Date.parse(timed[0]?.at as string) : 0;
  const last = timed.length ? Date.parse(timed.at(-1)?.at as string) : 0;
  const span = last - first;
  const positions = timed.map((s) => (span > 0 ? LEFT + ((Date.parse(s.at as string) - first) / span) * (reachedRight - LEFT) : LEFT));
  for (let i = 1; i < positions.length; i++) positions[i] = Math.max(positions[i] as number, (positions[i - 1] as number) + MIN_GAP);
  const limit = reachedRight;
  for (let i = positions.length - 1; i >= 0; i--) {
    const cap = i === positions.length - 1 ? limit : (positions[i + 1] as number) - MIN_GAP;
    positions[i] = Math.min(positions[i] as number, cap);
  }
  for (let i = 0; i < pending; i++) {
    const from = reachedCount ? reachedRight : LEFT - (MIN_GAP + 3);
    positions.push(Math.min(RIGHT, from + (i + 1) * ((RIGHT - from) / pending)));
  }
  if (!reachedCount && pending) positions.splice(0, positions.length, ...stages.map((_, i) => LEFT + (i * (RIGHT - LEFT)) / (stages.length - 1)));
  return positions.map((p) => Math.round(p * 100) / 100);
}

function timelineSvg(doc: ReportDocument, when: When): string {
  const positions = markPositions(doc.stages);
  const lastReached = doc.stages.filter((s) => s.reached && s.at).length;
  const reachedEnd = lastReached ? (positions[lastReached - 1] as number) : LEFT;
  const failedStep = doc.steps.find((s) => s.status === 'failed')?.step ?? null;
  const marks = doc.stages
    .map((s, i) => {
      const x = positions[i] as number;
      const state = s.reached ? 'done' : failedStep !== null && s.step === nextStep(doc) ? 'failed' : 'pending';
      const label = `${s.step} ${s.title}: ${s.reached ? when(s.at) : 'not yet'}`;
      return `<g class="mark ${state}" data-step="${s.step}" data-stage="${s.key}" data-at="${s.at ?? ''}"><title>${escapeHtml(label)}</title><circle cx="${x}%" cy="34" r="12"/><text x="${x}%" y="39">${s.step}</text></g>`;
    })
    .join('');
  return [
    `<svg class="line" role="img" aria-label="Timeline of the six stages, drawn to scale" width="100%" height="64" xmlns="http://www.w3.org/2000/svg">`,
    `<line class="axis" x1="${LEFT}%" y1="34" x2="${reachedEnd}%" y2="34"/>`,
    reachedEnd < RIGHT ? `<line class="axis todo" x1="${reachedEnd}%" y1="34" x2="${RIGHT}%" y2="34"/>` : '',
    marks,
    '</svg>',
  ].join('');
}

/** The step the run is at (the first stage not reached), 1–6. */
function nextStep(doc: ReportDocument): number {
  return (doc.stages.find((s) => !s.reached)?.step ?? 7) as number;
}

const CSS = `
:root{--ink:#1b2230;--muted:#5a6374;--line:#d5dae3;--soft:#f4f6f9;--ok:#17784c;--bad:#b42318;--todo:#98a2b3;--accent:#1f4fd1}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--soft);color:var(--ink);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:880px;margin:0 auto;padding:20px 16px 40px;background:#fff;min-height:100vh}
p,li,dd,dt,a,pre,code,td,th,h1,h2,h3{overflow-wrap:anywhere}
h1{font-size:1.55rem;line-height:1.25;margin:.25rem 0 .75rem}
h2{font-size:1.1rem;margin:1.75rem 0 .6rem;padding-bottom:.25rem;border-bottom:1px solid var(--line)}
h3{font-size:1rem;margin:0}
a{color:var(--accent)}
.eyebrow{margin:0;color:var(--muted);font-size:.85rem;letter-spacing:.02em}
.pill{display:inline-block;padding:.1rem .6rem;border-radius:999px;font-size:.85rem;font-weight:600;color:#fff;background:var(--todo)}
.pill.ok{background:var(--ok)}.pill.bad{background:var(--bad)}
.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.2rem 1rem;margin:.75rem 0 0}
.facts dt{color:var(--muted)}.facts dd{margin:0}
.timeline{margin-top:1rem}
svg.line{display:block;overflow:visible}
svg.line .axis{stroke:var(--ink);stroke-width:3}
svg.line .axis.todo{stroke:var(--todo);stroke-dasharray:5 5}
svg.line circle{stroke-width:3}
svg.line text{font:700 13px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;text-anchor:middle}
svg.line .done circle{fill:var(--ok);stroke:var(--ok)}svg.line .done text{fill:#fff}
svg.line .failed circle{fill:#fff;stroke:var(--bad)}svg.line .failed text{fill:var(--bad)}
svg.line .pending circle{fill:#fff;stroke:var(--todo)}svg.line .pending text{fill:var(--muted)}
.ends{display:flex;justify-content:space-between;gap:1rem;color:var(--muted);font-size:.85rem;margin-top:.1rem}
.ends span:last-child{text-align:right}
.span{margin:.35rem 0 0;font-size:.9rem;color:var(--muted)}
ol.stages{list-style:none;margin:0;padding:0}
ol.stages>li{display:grid;grid-template-columns:2rem minmax(0,1fr);gap:.75rem;padding:.7rem 0;border-bottom:1px solid var(--line)}
ol.stages>li:last-child{border-bottom:0}
.badge{display:inline-flex;align-items:center;justify-content:center;width:2rem;height:2rem;border-radius:50%;font-weight:700;border:3px solid var(--todo);color:var(--muted);background:#fff}
li.done .badge{background:var(--ok);border-color:var(--ok);color:#fff}
li.failed .badge{border-color:var(--bad);color:var(--bad)}
.time{margin:.1rem 0 .25rem;font-variant-numeric:tabular-nums}
.where{color:var(--muted)}
ul.evidence{margin:0;padding-left:1.1rem;font-size:.95rem}
ul.evidence code,code{font:.9em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--soft);padding:0 .2em;border-radius:3px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:.45rem .5rem .45rem 0;border-bottom:1px solid var(--line)}
th{font-size:.85rem;color:var(--muted);font-weight:600}
.yes{color:var(--ok);font-weight:700}.no{color:var(--muted);font-weight:700}
ul.problems{padding-left:1.1rem}
.bad-text{color:var(--bad)}
pre.email{white-space:pre-wrap;background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:.75rem;font:.9rem/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;margin:.5rem 0 0}
.mailto{display:inline-block;margin:.25rem 0;padding:.45rem .9rem;border-radius:6px;background:var(--accent);color:#fff;text-decoration:none;font-weight:600}
footer{margin-top:2rem;color:var(--muted);font-size:.8rem}
@media (max-width:560px){
 main{padding:16px 14px 32px}
 h1{font-size:1.3rem}
 .facts{grid-template-columns:minmax(0,1fr);gap:0}
 .facts dd{margin-bottom:.45rem}
 table.confirmations thead{display:none}
 table.confirmations tr{display:block;padding:.5rem 0;border-bottom:1px solid var(--line)}
 table.confirmations td{display:block;border:0;padding:.05rem 0}
}
@media print{
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 body{background:#fff;font-size:11pt}
 main{max-width:none;padding:0;min-height:0}
 section,li,tr,pre{break-inside:avoid}
 h2{break-after:avoid}
 a[href^="http"]::after{content:" (" attr(href) ")";color:var(--muted);font-size:.85em}
 p.write{display:none}
}
`;

function stageItem(s: ReportStage, state: string, when: When): string {
  const evidence = [
    ...s.evidence.map((e) => `<li>${escapeHtml(e)}</li>`),
    ...s.links.map((l) => `<li>tracking: <a class="tracking" href="${escapeHtml(l.url)}">${escapeHtml(l.text)}</a></li>`),
  ];
  const time = s.reached
    ? `<p class="time"><time datetime="${escapeHtml(s.at ?? '')}">${escapeHtml(when(s.at))}</time> <span class="where">· ${escapeHtml(s.where)}</span></p>`
    : `<p class="time where">${state === 'failed' ? '<span class="bad-text">held up here</span>' : 'not yet'}</p>`;
  return `<li class="${state}" data-stage="${s.key}"><span class="badge" aria-hidden="true">${s.step}</span><div><h3>${escapeHtml(s.title)}</h3>${time}${evidence.length ? `<ul class="evidence">${evidence.join('')}</ul>` : ''}</div></li>`;
}

export function renderHtml(doc: ReportDocument): string {
  const when: When = (iso) => localTime(iso, doc.timeZone ?? undefined) ?? 'not yet';
  const status = doc.confirmed.trackingSynced
    ? ['ok', 'Ready to sell']
    : doc.abandoned
      ? ['', 'Abandoned']
      : doc.problem
        ? ['bad', 'Needs attention']
        : ['', 'Not finished'];
  const order = doc.order;
  const timed = doc.stages.filter((s) => s.at);
  const first = timed[0]?.at ?? null;
  const last = timed.at(-1)?.at ?? null;
  const span = reportSpan(doc);
  const failing = doc.steps.some((s) => s.status === 'failed') ? nextStep(doc) : null;
  const facts: [string, string][] = [
    ['Store', `${doc.store.name ? `${escapeHtml(doc.store.name)} · ` : ''}${escapeHtml(doc.store.channel)}${doc.sandbox ? ' (sandbox)' : ''}`],
  ];
  if (order) {
    facts.push(
      [
        'Order',
        `${escapeHtml(order.name)} · ${escapeHtml(order.total)} ${escapeHtml(order.currency)} · ${escapeHtml(doc.store.channel)} id <code>${escapeHtml(order.id)}</code>`,
      ],
      ['Dealer portal order', order.portalId ? `<code>${escapeHtml(order.portalId)}</code>` : 'not in the portal yet'],
    );
  }
  if (doc.tracking.length) {
    facts.push([
      'Tracking',
      doc.tracking
        .map((t) => {
          const text = `${t.carrier ? `${t.carrier} ` : ''}${t.number}`;
          return t.url && /^https?:\/\//i.test(t.url) ? `<a class="tracking" href="${escapeHtml(t.url)}">${escapeHtml(text)}</a>` : escapeHtml(text);
        })
        .join(', '),
    ]);
  }
  if (doc.abandoned) facts.push(['Abandoned', `a newer test order replaced this run; known as of ${escapeHtml(when(doc.asOf))}`]);
  else if (!doc.finished) facts.push(['Known as of', escapeHtml(when(doc.asOf))]);

  const confirmations = doc.confirmations
    .map(
      (c) =>
        `<tr><td>${escapeHtml(c.label)}</td><td class="${c.confirmed ? 'yes' : 'no'}">${c.confirmed ? '✔ yes' : 'not yet'}</td><td>${c.at ? escapeHtml(when(c.at)) : ''}</td><td>${escapeHtml(c.evidence)}</td></tr>`,
    )
    .join('');
  const problems = doc.problemsMet.length
    ? `<ul class="problems">${doc.problemsMet
        .map(
          (p) =>
            `<li><strong>${escapeHtml(p.words)}</strong> <code>${p.problem}</code>, ${escapeHtml(when(p.at))}: ${
              p.clearedAt ? `cleared ${escapeHtml(when(p.clearedAt))} (${escapeHtml(p.how ?? '')})` : '<span class="bad-text">still holds</span>'
            }</li>`,
        )
        .join('')}</ul>`
    : '<p>None: every stage went through as expected.</p>';
  const email = doc.email
    ? `<section class="email"><h2>Email to the supplier</h2><p class="write"><a class="mailto" href="${escapeHtml(doc.email.mailto)}">Write this email</a></p><pre class="email">${escapeHtml(
        [`To: ${doc.email.to ?? '(the supplier)'}`, `Subject: ${doc.email.subject}`, '', doc.email.body].join('\n'),
      )}</pre></section>`
    : '';

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(doc.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<p class="eyebrow">Dropship test order report</p>
<h1>${escapeHtml(doc.title)}</h1>
<span class="pill ${status[0]}">${status[1]}</span>
<dl class="facts">${facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
</header>
<section class="timeline">
<h2>Timeline</h2>
${timelineSvg(doc, when)}
<div class="ends"><span>${escapeHtml(first ? when(first) : 'no order yet')}</span><span>${escapeHtml(last && last !== first ? when(last) : '')}</span></div>
${span ? `<p class="span">${escapeHtml(`${spanWords(span.ms)} from ${span.from.toLowerCase()} to ${span.to.toLowerCase()}, drawn to scale (marks that fall together are set side by side).`)}</p>` : ''}
<ol class="stages">${doc.stages.map((s) => stageItem(s, s.reached ? 'done' : s.step === failing ? 'failed' : 'pending', when)).join('')}</ol>
</section>
<section>
<h2>The three confirmations</h2>
<table class="confirmations"><thead><tr><th>Confirmation</th><th>Confirmed</th><th>When</th><th>Evidence</th></tr></thead><tbody>${confirmations}</tbody></table>
</section>
<section>
<h2>Problems met on the way</h2>
${problems}
</section>
${email}
<footer>Written ${escapeHtml(when(doc.generatedAt))} by onboard · profile ${escapeHtml(doc.profile)}${doc.sandbox ? ' (sandbox)' : ''} · run ${escapeHtml(doc.runId)}</footer>
</main>
</body>
</html>
`;
}
