/**
 * The timeline's markup and style: one rendering for the VS Code webview and the self-contained
 * HTML file of `bridge run --timeline`. HTML rows (a label and a track each), SVG bars placed in
 * percent of the time axis, so zooming is a width change and never a re-render; classes only (no
 * style attributes), so the strictest Content-Security-Policy holds; colours from VS Code's theme
 * variables, with light and dark fallbacks for a browser.
 *
 * The page's script (media/timeline/view.ts) adds zoom, the ruler at other zooms, hover cards,
 * keyboard navigation, folding and the hop lines' positions after folding; without it the page
 * still shows the whole picture.
 */
import { redactSecrets } from '../redact';
import { formatDuration, type TimelineBar, type TimelineModel, type TimelineRow } from './layout';
import { rulerTicks } from './ticks';

/** Row height in px (CSS and the static hop positions agree on it). */
export const ROW_HEIGHT = 22;
const BAR_Y = 4;
const BAR_H = 14;

/** What the page's script reads from `#tl-data`. */
export interface TimelinePageData {
  correlationId: string;
  t0: number;
  t1: number;
  live: boolean;
  bars: {
    row: number;
    start: number;
    end: number;
    status: string;
    kind: string;
    name: string;
    cloud: string;
    error?: string;
  }[];
  hops: { from: { row: number; time: number }; to: { row: number; time: number }; label: string }[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const SPECIAL = /[&<>"']/;
export function escapeHtml(text: string): string {
  return SPECIAL.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c]) : text;
}

const pct = (model: TimelineModel, t: number): string => (((t - model.t0) / (model.t1 - model.t0)) * 100).toFixed(3) + '%';

const STATUS_WORDS: Record<string, string> = { Succeeded: 'succeeded', Failed: 'failed', Cancelled: 'cancelled', TimedOut: 'failed', Refused: 'failed' };

function errorText(bar: TimelineBar): string | undefined {
  if (!bar.error) return undefined;
  return redactSecrets([bar.error.code, bar.error.message].filter(Boolean).join(': '));
}

/** The timeline itself (no <html>): what the webview swaps in on every live update. */
export function renderTimelineBody(model: TimelineModel): string {
  const out: string[] = [];
  const runStatus = model.status ?? 'Running';
  const statusClass = model.status ? (STATUS_WORDS[model.status] ?? 'failed') : 'running';
  const title = model.link ? `${model.link}` : `Run ${model.correlationId}`;
  out.push(`<div class="tl" id="tl" data-correlation-id="${escapeHtml(model.correlationId)}">`);
  out.push(`<header class="tl-head"><h1><span class="tl-title">${escapeHtml(title)}</span> <span class="tl-status st-${statusClass}">${escapeHtml(runStatus)}</span>${model.live ? ' <span class="tl-live" aria-live="polite">live</span>' : ''}</h1>`);
  const meta = [
    `correlation id <code>${escapeHtml(model.correlationId)}</code>`,
    model.trigger && escapeHtml(model.trigger),
    model.target && `on the ${escapeHtml(model.target)}`,
    `first event ${new Date(model.t0).toISOString().replace('T', ' ').slice(0, 23)} UTC${model.startedAt !== undefined && model.t0 - model.startedAt >= 1 ? ` (${formatDuration(model.t0 - model.startedAt)} after the run was started)` : ''}`,
    `${formatDuration(model.t1 - model.t0)}`,
    `${model.eventCount} event${model.eventCount === 1 ? '' : 's'}`,
  ].filter(Boolean);
  out.push(`<p class="tl-meta">${meta.join(' · ')}</p>`);
  if (model.reason) out.push(`<p class="tl-reason">${escapeHtml(redactSecrets(model.reason))}</p>`);
  out.push(
    '<div class="tl-tools" role="toolbar" aria-label="Timeline zoom">' +
      '<button type="button" data-zoom="out" aria-label="Zoom out" title="Zoom out (−)">−</button>' +
      '<button type="button" data-zoom="fit" aria-label="Fit to width" title="Fit to width (0)">Fit</button>' +
      '<button type="button" data-zoom="in" aria-label="Zoom in" title="Zoom in (+)">+</button>' +
      '<span class="tl-legend" aria-hidden="true"><i class="lg c-adf"></i>Data Factory <i class="lg c-gateway"></i>API Gateway <i class="lg c-sfn"></i>Step Functions <i class="lg st-failed"></i>failed <i class="lg kd-wait"></i>wait <i class="lg st-running"></i>running</span>' +
      '</div></header>',
  );

  out.push(`<div class="tl-scroll"><div class="tl-grid" role="treegrid" aria-readonly="true" aria-label="${escapeHtml(`Timeline of ${title}: ${model.rows.length} rows. Arrow keys move between bars, Enter reveals, plus and minus zoom.`)}">`);
  // The ruler.
  out.push('<div class="tl-row tl-ruler" role="row"><div class="tl-label" role="columnheader">Time from start</div><div class="tl-cell" role="columnheader"><svg class="tl-track tl-ticks" aria-hidden="true">');
  for (const tick of rulerTicks(model.t1 - model.t0)) {
    const x = pct(model, model.t0 + tick.offset);
    out.push(`<line x1="${x}" x2="${x}" y1="${ROW_HEIGHT - 6}" y2="${ROW_HEIGHT}"/><text x="${x}" dx="3" y="${ROW_HEIGHT - 9}">${tick.label}</text>`);
  }
  out.push('</svg></div></div>');

  // Bars by row (bars are grouped by row already; keep the index order inside a row).
  const barsByRow: TimelineBar[][] = model.rows.map(() => []);
  for (const bar of model.bars) barsByRow[bar.row].push(bar);
  const visibleIndex: number[] = [];
  let visible = 0;
  model.rows.forEach((row, i) => {
    visibleIndex.push(row.overflowOf ? -1 : visible);
    if (!row.overflowOf) visible++;
    out.push(renderRow(model, row, i, barsByRow[i]));
  });

  // Hops, placed for the rows shown at first; the script moves them when rows fold.
  out.push('<svg class="tl-hops" aria-hidden="true">');
  for (const hop of model.hops) {
    const fromRow = visibleIndex[hop.from.row];
    const toRow = visibleIndex[hop.to.row];
    if (fromRow < 0 || toRow < 0) continue;
    const y1 = (fromRow + 1) * ROW_HEIGHT + ROW_HEIGHT / 2;
    const y2 = (toRow + 1) * ROW_HEIGHT + ROW_HEIGHT / 2;
    out.push(`<line class="hop" x1="${pct(model, hop.from.time)}" x2="${pct(model, hop.to.time)}" y1="${y1}" y2="${y2}" marker-end="url(#tl-arrow)"><title>${escapeHtml(hop.label)}</title></line>`);
  }
  out.push('</svg>');
  out.push('</div></div>');
  out.push('<div class="tl-tip" role="tooltip" id="tl-tip" hidden></div>');
  out.push(`<script type="application/json" id="tl-data">${jsonForScript(pageData(model))}</script>`);
  out.push('</div>');
  return out.join('');
}

function renderRow(model: TimelineModel, row: TimelineRow, index: number, bars: TimelineBar[]): string {
  const attrs = [
    `class="tl-row c-${row.cloud} k-${row.kind} d${Math.min(row.depth, 12)}"`,
    'role="row"',
    `data-row="${index}"`,
    `data-id="${rowKey(row.id)}"`,
    `aria-level="${row.depth + 1}"`,
  ];
  if (row.parent) attrs.push(`data-parent="${rowKey(row.parent)}"`);
  if (row.overflowOf) attrs.push(`data-overflow="${rowKey(row.overflowOf)}"`, 'hidden');
  if (row.hasChildren) attrs.push(`aria-expanded="${row.kind === 'more' ? 'false' : 'true'}"`);
  const twisty = row.hasChildren ? `<button type="button" class="tl-twisty" tabindex="-1" aria-label="${row.kind === 'more' ? 'Show' : 'Fold'} ${escapeHtml(row.label)}"></button>` : '<span class="tl-twisty"></span>';
  const parts = [`<div ${attrs.join(' ')}><div class="tl-label" role="rowheader" title="${escapeHtml(row.detail ? `${row.label} (${row.detail})` : row.label)}">${twisty}<span class="tl-name">${escapeHtml(row.label)}</span>`];
  if (row.detail) parts.push(`<span class="tl-detail">${escapeHtml(row.detail)}</span>`);
  parts.push('</div><div class="tl-cell" role="gridcell"><svg class="tl-track">');
  for (const bar of bars) parts.push(renderBar(model, bar));
  parts.push('</svg></div></div>');
  return parts.join('');
}

function renderBar(model: TimelineModel, bar: TimelineBar): string {
  const x = pct(model, bar.start);
  const w = (((bar.end - bar.start) / (model.t1 - model.t0)) * 100).toFixed(3) + '%';
  const cls = `bar c-${bar.cloud} st-${bar.status} kd-${bar.kind}${bar.open ? ' open' : ''}${bar.envelope ? ' envelope' : ''}`;
  if (bar.kind === 'retry-wait') {
    const mid = BAR_Y + BAR_H / 2;
    return `<g class="${cls}" data-b="${bar.index}" aria-label="${escapeHtml(bar.label)}"><line x1="${x}" x2="${pct(model, bar.end)}" y1="${mid}" y2="${mid}"/></g>`;
  }
  // y, height and rx come from the style sheet (SVG 2 geometry properties): less markup per bar.
  const label = escapeHtml(bar.error ? redactSecrets(bar.label) : bar.label);
  let s = `<g class="${cls}" data-b="${bar.index}" tabindex="-1" role="button" aria-label="${label}"><rect x="${x}" width="${w}"/><rect class="edge" x="${x}" width="2"/>`;
  if (bar.attempt) s += `<text class="attempt" x="${x}" dx="3" y="${BAR_Y + BAR_H - 3}">#${bar.attempt + 1}</text>`;
  s += '</g>';
  if (bar.status === 'failed' && bar.error && !bar.retried) {
    // After the bar; near the right edge before it; across the bar when it fills the axis.
    const code = redactSecrets(bar.error.code ?? bar.error.message ?? '');
    const text = escapeHtml(code.length > 60 ? `${code.slice(0, 59)}…` : code);
    const at = (t: number) => (t - model.t0) / (model.t1 - model.t0);
    const place = at(bar.end) <= 0.7 ? `x="${pct(model, bar.end)}" dx="5"` : at(bar.start) >= 0.25 ? `x="${x}" dx="-5" text-anchor="end"` : `x="${x}" dx="5"`;
    s += `<text class="err" ${place} y="${BAR_Y + BAR_H - 3}">${text}</text>`;
  }
  return s;
}

/**
 * A short stable key for a row id (ids hold whole ARNs): what the page keeps folding state by,
 * across live updates. FNV-1a, 32 bits, base 36.
 */
export function rowKey(id: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

function pageData(model: TimelineModel): TimelinePageData {
  return {
    correlationId: model.correlationId,
    t0: model.t0,
    t1: model.t1,
    live: model.live,
    bars: model.bars.map((b) => ({
      row: b.row, start: b.start, end: b.end, status: b.status, kind: b.kind, name: b.name, cloud: b.cloud,
      error: errorText(b),
    })),
    hops: model.hops,
  };
}

/** JSON that cannot end its <script> element or open a comment. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The SVG definitions the bars refer to (the wait hatching, the hop arrow). */
export const TIMELINE_DEFS =
  '<svg class="tl-defs" aria-hidden="true" width="0" height="0"><defs>' +
  '<pattern id="tl-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect class="hatch-bg" width="6" height="6"/><line class="hatch" x1="0" y1="0" x2="0" y2="6"/></pattern>' +
  '<marker id="tl-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow" d="M0,0 L10,5 L0,10 z"/></marker>' +
  '</defs></svg>';

const depthRules = Array.from({ length: 13 }, (_, d) => `.d${d} .tl-label{padding-left:${4 + d * 14}px}`).join('');

/**
 * The style: VS Code's theme variables when in a webview (dark, light, high contrast follow the
 * editor), with fallbacks for a browser that follow its light or dark preference.
 */
export const TIMELINE_CSS = `
:root{--fb-bg:#ffffff;--fb-fg:#1f2328;--fb-dim:#656d76;--fb-line:#d0d7de;--fb-blue:#0969da;--fb-orange:#bc4c00;--fb-purple:#8250df;--fb-red:#cf222e;--fb-grey:#8c959f;--fb-hover:#f3f4f6;--fb-focus:#0969da}
@media (prefers-color-scheme: dark){:root{--fb-bg:#1e1e1e;--fb-fg:#d4d4d4;--fb-dim:#9d9d9d;--fb-line:#3c3c3c;--fb-blue:#3794ff;--fb-orange:#d18616;--fb-purple:#b180d7;--fb-red:#f14c4c;--fb-grey:#6e7681;--fb-hover:#2a2d2e;--fb-focus:#007fd4}}
body{margin:0;background:var(--vscode-editor-background,var(--fb-bg));color:var(--vscode-foreground,var(--fb-fg));font-family:var(--vscode-font-family,system-ui,sans-serif);font-size:var(--vscode-font-size,13px)}
:root{--bg:var(--vscode-editor-background,var(--fb-bg));--fg:var(--vscode-foreground,var(--fb-fg));--dim:var(--vscode-descriptionForeground,var(--fb-dim));--line:var(--vscode-editorWidget-border,var(--vscode-panel-border,var(--fb-line)));--adf:var(--vscode-charts-blue,var(--fb-blue));--sfn:var(--vscode-charts-orange,var(--fb-orange));--gateway:var(--vscode-charts-purple,var(--fb-purple));--failed:var(--vscode-charts-red,var(--fb-red));--grey:var(--vscode-disabledForeground,var(--fb-grey));--hover:var(--vscode-list-hoverBackground,var(--fb-hover));--focus:var(--vscode-focusBorder,var(--fb-focus));--label-w:280px;--track-w:max(480px,calc(100vw - var(--label-w) - 24px))}
.tl{display:flex;flex-direction:column;height:100vh;box-sizing:border-box}
.tl-head{padding:8px 12px 4px;border-bottom:1px solid var(--line)}
.tl-head h1{font-size:1.15em;margin:0 0 2px;font-weight:600}
.tl-meta,.tl-reason{margin:2px 0;color:var(--dim)}
.tl-reason{color:var(--vscode-errorForeground,var(--failed))}
.tl-status{font-weight:normal;padding:0 6px;border-radius:8px;border:1px solid currentColor;font-size:.9em}
.tl-status.st-succeeded{color:var(--vscode-testing-iconPassed,var(--adf))}.tl-status.st-failed{color:var(--failed)}.tl-status.st-running{color:var(--dim)}.tl-status.st-cancelled{color:var(--grey)}
.tl-live{font-size:.8em;color:var(--dim)}
.tl-tools{display:flex;gap:4px;align-items:center;margin:4px 0}
.tl-tools button{min-width:28px;background:var(--vscode-button-secondaryBackground,transparent);color:var(--vscode-button-secondaryForeground,var(--fg));border:1px solid var(--vscode-button-border,var(--line));border-radius:2px;padding:1px 6px;cursor:pointer;font:inherit}
.tl-tools button:hover{background:var(--vscode-button-secondaryHoverBackground,var(--hover))}
.tl-tools button:focus-visible,.tl-twisty:focus-visible{outline:1px solid var(--focus);outline-offset:1px}
.tl-legend{margin-left:12px;color:var(--dim)}
.lg{display:inline-block;width:10px;height:10px;margin:0 3px 0 8px;vertical-align:-1px;border-radius:2px}
.lg.c-adf{background:var(--adf)}.lg.c-sfn{background:var(--sfn)}.lg.c-gateway{background:var(--gateway)}.lg.st-failed{background:var(--failed)}.lg.kd-wait{background:repeating-linear-gradient(45deg,var(--grey) 0 2px,transparent 2px 5px);outline:1px solid var(--grey)}.lg.st-running{background:var(--grey);opacity:.5}
.tl-scroll{flex:1;overflow:auto;position:relative}
.tl-grid{position:relative;width:max-content;min-width:100%}
.tl-row{display:flex;height:${ROW_HEIGHT}px;line-height:${ROW_HEIGHT}px}
.tl-row[hidden]{display:none}
.tl-row:hover,.tl-row.focus-row{background:var(--hover)}
.tl-label{position:sticky;left:0;z-index:2;flex:0 0 var(--label-w);width:var(--label-w);box-sizing:border-box;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;background:var(--bg);border-right:1px solid var(--line);padding-right:6px}
.tl-row:hover .tl-label,.tl-row.focus-row .tl-label{background:var(--hover)}
.c-adf>.tl-label{box-shadow:inset 3px 0 var(--adf)}.c-sfn>.tl-label{box-shadow:inset 3px 0 var(--sfn)}.c-gateway>.tl-label{box-shadow:inset 3px 0 var(--gateway)}
.k-run .tl-name{font-weight:600}.k-more .tl-name{font-style:italic}
.tl-detail{color:var(--dim);margin-left:6px;font-size:.9em}
.tl-twisty{display:inline-block;width:16px;height:16px;padding:0;margin:0 2px 0 0;border:0;background:none;color:var(--dim);vertical-align:-3px;cursor:pointer}
button.tl-twisty::before{content:'▾'}.tl-row[aria-expanded=false] button.tl-twisty::before{content:'▸'}
.tl-cell{flex:0 0 var(--track-w);width:var(--track-w)}
.tl-track{display:block;width:var(--track-w);height:${ROW_HEIGHT}px;overflow:visible}
.tl-ruler{position:sticky;top:0;z-index:3;background:var(--bg);border-bottom:1px solid var(--line)}
.tl-ruler .tl-label{color:var(--dim);font-size:.9em}
.tl-ticks line{stroke:var(--dim)}.tl-ticks text{fill:var(--dim);font-size:10px}
.tl-hops{position:absolute;left:var(--label-w);top:0;width:var(--track-w);height:100%;pointer-events:none;overflow:visible;z-index:1}
.hop{stroke:var(--gateway);stroke-width:1.5;stroke-dasharray:4 2}.arrow{fill:var(--gateway)}
.tl-defs{position:absolute;width:0;height:0}
.bar{cursor:pointer}
.bar rect{y:${BAR_Y}px;height:${BAR_H}px;rx:2px;fill:var(--adf);stroke:none}.bar rect.edge{y:${BAR_Y - 1}px;height:${BAR_H + 2}px;rx:0}
.bar.c-sfn rect{fill:var(--sfn)}
.bar.c-gateway rect{fill:var(--gateway)}
.bar.kd-pipeline rect,.bar.kd-execution rect{fill-opacity:.35}.bar rect.edge{fill-opacity:1}
.bar.st-failed rect{fill:var(--failed);fill-opacity:1}
.bar.st-cancelled rect,.bar.st-skipped rect{fill:var(--grey)}
.bar.open rect{fill-opacity:.5;stroke-dasharray:3 2;stroke:currentColor}.bar.open rect.edge{stroke:none;fill-opacity:1}
.bar.kd-wait rect{fill:url(#tl-hatch);stroke:var(--grey);stroke-width:1}
.bar.kd-wait rect.edge{fill:var(--grey);stroke:none}
.hatch{stroke:var(--grey);stroke-width:2}.hatch-bg{fill:var(--bg)}
.bar.kd-retry-wait line{stroke:var(--failed);stroke-width:1.5;stroke-dasharray:2 2}
.bar.envelope rect{fill:none;stroke:var(--dim);stroke-width:1}.bar.envelope rect.edge{fill:var(--dim);stroke:none}
.bar.kd-summary rect:not(.edge){fill-opacity:.25;stroke:currentColor;stroke-dasharray:2 2}
.bar .attempt{fill:var(--bg);font-size:10px;pointer-events:none}
.err{fill:var(--vscode-errorForeground,var(--failed));font-size:11px;paint-order:stroke;stroke:var(--bg);stroke-width:3px;stroke-linejoin:round}
.bar:focus{outline:none}.bar:focus rect:not(.edge),.bar.selected rect:not(.edge){stroke:var(--focus);stroke-width:2;stroke-dasharray:none}
.bar:hover rect:not(.edge){stroke:var(--fg);stroke-width:1}
body.vscode-high-contrast .bar rect:not(.edge),body.vscode-high-contrast-light .bar rect:not(.edge){stroke:var(--vscode-contrastBorder,var(--fg));stroke-width:1}
body.vscode-high-contrast .bar:focus rect:not(.edge),body.vscode-high-contrast-light .bar:focus rect:not(.edge){stroke:var(--vscode-contrastActiveBorder,var(--focus));stroke-width:2}
.tl-tip{position:fixed;z-index:10;max-width:420px;padding:4px 8px;white-space:pre-wrap;pointer-events:none;background:var(--vscode-editorHoverWidget-background,var(--bg));color:var(--vscode-editorHoverWidget-foreground,var(--fg));border:1px solid var(--vscode-editorHoverWidget-border,var(--line));box-shadow:0 2px 8px rgba(0,0,0,.25)}
.tl-tip b{font-weight:600}.tl-tip .tip-err{color:var(--vscode-errorForeground,var(--failed))}
code{font-family:var(--vscode-editor-font-family,monospace)}
${depthRules}
`;

export interface TimelineDocumentOptions {
  /** A fresh random value per page: the only scripts and styles that run carry it. */
  nonce: string;
  /** The page script: inline text (the HTML file) or a URI (the webview). */
  script: { inline: string } | { src: string };
  /** The webview's `cspSource`, when the script is loaded from a URI. */
  cspSource?: string;
}

/** A whole page: strict CSP, the style, the SVG definitions, the timeline and its script. */
export function renderTimelineDocument(model: TimelineModel, options: TimelineDocumentOptions): string {
  const scriptSrc = 'src' in options.script ? `${options.cspSource ?? ''} 'nonce-${options.nonce}'`.trim() : `'nonce-${options.nonce}'`;
  const csp = `default-src 'none'; img-src data:; style-src 'nonce-${options.nonce}'; script-src ${scriptSrc}; font-src ${options.cspSource ?? "'none'"}`;
  const title = model.link ? `${model.link} · ${model.correlationId}` : model.correlationId;
  const script =
    'src' in options.script
      ? `<script nonce="${options.nonce}" src="${escapeHtml(options.script.src)}"></script>`
      : `<script nonce="${options.nonce}">${options.script.inline.replace(/<\/script/gi, '<\\/script')}</script>`;
  return (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>Timeline: ${escapeHtml(title)}</title>` +
    `<style nonce="${options.nonce}">${TIMELINE_CSS}</style></head><body>` +
    TIMELINE_DEFS +
    `<main id="tl-root">${renderTimelineBody(model)}</main>` +
    script +
    '</body></html>'
  );
}
