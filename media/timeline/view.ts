/**
 * The timeline page's script, for the VS Code webview and the HTML file alike (bundled by
 * scripts/build.mjs into dist/timeline-view.js; the file inlines it). The markup is complete
 * without it; it adds zoom (a width change: bars are placed in percent), the ruler at each zoom,
 * folding, hover and focus cards, keyboard navigation, the hop lines' positions after folding, and
 * in the webview: state kept across hide/show, reveal on click, live updates.
 */
import type { TimelinePageData } from '../../src/core/timeline/render';
import { rulerTicks } from '../../src/core/timeline/ticks';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface ViewState {
  zoom: number;
  /** "more" rows whose hidden iterations are shown. */
  expanded: string[];
  /** Rows folded by the user. */
  folded: string[];
  focus?: { row: string; start: number };
  scroll?: { left: number; top: number };
}

const vscode: VsCodeApi | undefined = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
const state: ViewState = { zoom: 1, expanded: [], folded: [], ...((vscode?.getState() as Partial<ViewState> | undefined) ?? {}) };
const root = document.getElementById('tl-root')!;
let data: TimelinePageData;
let barElements: SVGGElement[] = [];

const MAX_ZOOM = 400;
const saveState = (): void => vscode?.setState(state);

function $(selector: string): HTMLElement | null {
  return root.querySelector(selector);
}

function init(): void {
  data = JSON.parse(document.getElementById('tl-data')?.textContent ?? '{}') as TimelinePageData;
  barElements = Array.from(root.querySelectorAll<SVGGElement>('g.bar[data-b]'));
  applyFolding();
  applyZoom(state.zoom, false);
  const scroller = $('.tl-scroll');
  if (scroller && state.scroll) {
    scroller.scrollLeft = state.scroll.left;
    scroller.scrollTop = state.scroll.top;
  }
  const focused = state.focus && findBar(state.focus.row, state.focus.start);
  setRovingBar(focused ?? firstVisibleBar());
}

// ---- zoom ---------------------------------------------------------------------------------

function baseWidth(): number {
  const scroller = $('.tl-scroll');
  const label = $('.tl-label');
  return Math.max(480, (scroller?.clientWidth ?? 800) - (label?.offsetWidth ?? 280) - 24);
}

function applyZoom(zoom: number, keepCenter = true): void {
  const scroller = $('.tl-scroll');
  const tl = $('.tl');
  if (!scroller || !tl) return;
  const labelW = $('.tl-label')?.offsetWidth ?? 280;
  const before = tl.style.getPropertyValue('--track-w');
  const oldW = before ? parseFloat(before) : baseWidth() * state.zoom;
  const centerFraction = (scroller.scrollLeft + (scroller.clientWidth - labelW) / 2) / oldW;
  state.zoom = Math.min(MAX_ZOOM, Math.max(1, zoom));
  const width = baseWidth() * state.zoom;
  tl.style.setProperty('--track-w', `${width}px`);
  if (keepCenter) scroller.scrollLeft = Math.max(0, centerFraction * width - (scroller.clientWidth - labelW) / 2);
  drawRuler();
  saveState();
}

function drawRuler(): void {
  const ticks = $('.tl-ticks');
  if (!ticks) return;
  const span = data.t1 - data.t0;
  let svg = '';
  for (const tick of rulerTicks(span, state.zoom)) {
    const x = `${((tick.offset / span) * 100).toFixed(3)}%`;
    svg += `<line x1="${x}" x2="${x}" y1="16" y2="22"/><text x="${x}" dx="3" y="13">${tick.label}</text>`;
  }
  ticks.innerHTML = svg;
}

// ---- folding ------------------------------------------------------------------------------

function rows(): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>('.tl-row[data-row]'));
}

function applyFolding(): void {
  const folded = new Set(state.folded);
  const expanded = new Set(state.expanded);
  const byId = new Map<string, HTMLElement>();
  const hiddenById = new Map<string, boolean>();
  for (const row of rows()) {
    const id = row.dataset.id!;
    byId.set(id, row);
    const parent = row.dataset.parent;
    const overflow = row.dataset.overflow;
    const hidden = (parent !== undefined && (hiddenById.get(parent) === true || folded.has(parent))) || (overflow !== undefined && (!expanded.has(overflow) || hiddenById.get(overflow) === true));
    hiddenById.set(id, hidden);
    row.hidden = hidden;
    if (row.hasAttribute('aria-expanded')) {
      const open = row.classList.contains('k-more') ? expanded.has(id) : !folded.has(id);
      row.setAttribute('aria-expanded', String(open));
      const name = row.querySelector('.tl-name')?.textContent ?? '';
      row.querySelector('.tl-twisty')?.setAttribute('aria-label', `${open ? 'Fold' : 'Show'} ${name}`);
    }
  }
  drawHops();
}

function toggleRow(row: HTMLElement): void {
  const id = row.dataset.id!;
  const list = row.classList.contains('k-more') ? state.expanded : state.folded;
  const i = list.indexOf(id);
  if (i >= 0) list.splice(i, 1);
  else list.push(id);
  applyFolding();
  saveState();
}

/** The hop lines, from the rows as they are shown now (a folded row's nearest shown ancestor). */
function drawHops(): void {
  const svg = $('.tl-hops');
  if (!svg || !data) return;
  const all = rows();
  const byId = new Map(all.map((r) => [r.dataset.id!, r]));
  const shownRow = (index: number): HTMLElement | undefined => {
    let row: HTMLElement | undefined = all[index];
    while (row?.hidden) row = row.dataset.parent !== undefined ? byId.get(row.dataset.parent) : undefined;
    return row;
  };
  const span = data.t1 - data.t0;
  const x = (t: number) => `${(((t - data.t0) / span) * 100).toFixed(3)}%`;
  let out = '';
  for (const hop of data.hops) {
    const from = shownRow(hop.from.row);
    const to = shownRow(hop.to.row);
    if (!from || !to || from === to) continue;
    const y1 = from.offsetTop + from.offsetHeight / 2;
    const y2 = to.offsetTop + to.offsetHeight / 2;
    out += `<line class="hop" x1="${x(hop.from.time)}" x2="${x(hop.to.time)}" y1="${y1}" y2="${y2}" marker-end="url(#tl-arrow)"></line>`;
  }
  svg.innerHTML = out;
}

// ---- bars: focus, cards, keyboard ---------------------------------------------------------

function barData(el: Element | null | undefined) {
  const i = Number((el as HTMLElement | null)?.dataset?.b ?? (el?.getAttribute('data-b') ?? NaN));
  return Number.isInteger(i) ? data.bars[i] : undefined;
}

function rowOf(bar: Element): HTMLElement {
  return bar.closest('.tl-row') as HTMLElement;
}

function visibleBarsOf(row: HTMLElement): SVGGElement[] {
  return Array.from(row.querySelectorAll<SVGGElement>('g.bar[tabindex]')).sort((a, b) => (barData(a)?.start ?? 0) - (barData(b)?.start ?? 0));
}

function firstVisibleBar(): SVGGElement | undefined {
  return barElements.find((b) => b.hasAttribute('tabindex') && !rowOf(b).hidden);
}

function findBar(rowId: string, start: number): SVGGElement | undefined {
  return barElements.find((b) => rowOf(b).dataset.id === rowId && barData(b)?.start === start && !rowOf(b).hidden);
}

let roving: SVGGElement | undefined;
function setRovingBar(bar: SVGGElement | undefined, focus = false): void {
  if (roving && roving !== bar) roving.setAttribute('tabindex', '-1');
  roving = bar;
  if (!bar) return;
  bar.setAttribute('tabindex', '0');
  if (focus) {
    bar.focus();
    bar.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    const d = barData(bar);
    if (d) state.focus = { row: rowOf(bar).dataset.id!, start: d.start };
    saveState();
  }
}

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

const STATUS: Record<string, string> = { succeeded: 'Succeeded', failed: 'Failed', cancelled: 'Cancelled', skipped: 'Skipped', running: 'Running' };
const CLOUD: Record<string, string> = { adf: 'Data Factory', sfn: 'Step Functions', gateway: 'API Gateway' };

function showCard(bar: Element, at?: { x: number; y: number }): void {
  const tip = document.getElementById('tl-tip');
  const d = barData(bar);
  if (!tip || !d) return;
  tip.replaceChildren();
  const line = (text: string, cls?: string) => {
    const div = document.createElement('div');
    if (cls) div.className = cls;
    div.textContent = text;
    tip.append(div);
  };
  const head = document.createElement('b');
  head.textContent = d.name;
  tip.append(head);
  line(`${CLOUD[d.cloud] ?? d.cloud} ${d.kind.replace('-', ' ')} · ${STATUS[d.status] ?? d.status}`);
  line(`${duration(d.end - d.start)}${d.status === 'running' ? ' so far' : ''} · from +${duration(d.start - data.t0)}`);
  const outcome = bar.getAttribute('aria-label')?.match(/HTTP \d+[^,]*/)?.[0];
  if (outcome) line(outcome);
  if (d.error) line(d.error, 'tip-err');
  if (vscode && d.kind !== 'summary') line('Click or Enter: show the event in the log and the definition');
  tip.hidden = false;
  const r = bar.getBoundingClientRect();
  const x = at?.x ?? r.left;
  const y = at?.y ?? r.bottom;
  const w = tip.offsetWidth;
  tip.style.left = `${Math.max(4, Math.min(window.innerWidth - w - 4, x + 8))}px`;
  tip.style.top = `${y + 14 + tip.offsetHeight > window.innerHeight ? Math.max(4, (at ? y : r.top) - tip.offsetHeight - 8) : y + 12}px`;
}

function hideCard(): void {
  const tip = document.getElementById('tl-tip');
  if (tip) tip.hidden = true;
}

function activate(bar: SVGGElement): void {
  const d = barData(bar);
  if (!d) return;
  barElements.forEach((b) => b.classList.toggle('selected', b === bar));
  if (vscode) vscode.postMessage({ type: 'reveal', index: Number(bar.dataset.b), name: d.name, start: d.start });
  else showCard(bar);
}

function moveFocus(from: SVGGElement, key: string): SVGGElement | undefined {
  const row = rowOf(from);
  const inRow = visibleBarsOf(row);
  const i = inRow.indexOf(from);
  if (key === 'ArrowRight') return inRow[i + 1];
  if (key === 'ArrowLeft') return inRow[i - 1];
  if (key === 'Home') return inRow[0];
  if (key === 'End') return inRow[inRow.length - 1];
  if (key === 'ArrowDown' || key === 'ArrowUp' || key === 'PageDown' || key === 'PageUp') {
    const all = rows().filter((r) => !r.hidden);
    const step = key === 'ArrowDown' ? 1 : key === 'ArrowUp' ? -1 : key === 'PageDown' ? 10 : -10;
    const t = barData(from)?.start ?? 0;
    for (let j = all.indexOf(row) + step; j >= 0 && j < all.length; j += Math.sign(step)) {
      const bars = visibleBarsOf(all[j]);
      if (!bars.length) continue;
      return bars.reduce((best, b) => (Math.abs((barData(b)?.start ?? 0) - t) < Math.abs((barData(best)?.start ?? 0) - t) ? b : best));
    }
  }
  return undefined;
}

root.addEventListener('click', (event) => {
  const target = event.target as Element;
  const zoom = target.closest<HTMLElement>('[data-zoom]')?.dataset.zoom;
  if (zoom) return applyZoom(zoom === 'in' ? state.zoom * 2 : zoom === 'out' ? state.zoom / 2 : 1);
  const twisty = target.closest('.tl-twisty');
  if (twisty) return toggleRow(rowOf(twisty));
  const bar = target.closest<SVGGElement>('g.bar[tabindex]');
  if (bar) {
    setRovingBar(bar, true);
    activate(bar);
  }
});

root.addEventListener('mouseover', (event) => {
  const bar = (event.target as Element).closest('g.bar');
  if (bar) showCard(bar, { x: (event as MouseEvent).clientX, y: (event as MouseEvent).clientY });
});
root.addEventListener('mouseout', (event) => {
  if ((event.target as Element).closest('g.bar') && !(event.relatedTarget as Element | null)?.closest?.('g.bar')) hideCard();
});
root.addEventListener('focusin', (event) => {
  const bar = (event.target as Element).closest('g.bar');
  root.querySelectorAll('.focus-row').forEach((r) => r.classList.remove('focus-row'));
  if (bar) {
    rowOf(bar).classList.add('focus-row');
    showCard(bar);
  }
});
root.addEventListener('focusout', hideCard);

root.addEventListener('keydown', (event) => {
  const target = event.target as Element;
  const bar = target.closest<SVGGElement>('g.bar[tabindex]');
  if (event.key === '+' || event.key === '=') applyZoom(state.zoom * 2);
  else if (event.key === '-' || event.key === '_') applyZoom(state.zoom / 2);
  else if (event.key === '0') applyZoom(1);
  else if (!bar) return;
  else if (event.key === 'Enter' || event.key === ' ') activate(bar);
  else if (event.key === 'f' || event.key === 'F') {
    // Fold or unfold the bar's row, or the row it sits in.
    const row = rowOf(bar);
    const container = row.hasAttribute('aria-expanded') ? row : root.querySelector<HTMLElement>(`.tl-row[data-id="${CSS.escape(row.dataset.parent ?? '')}"]`);
    if (container) toggleRow(container);
    const next = bar.isConnected && !rowOf(bar).hidden ? bar : container ? visibleBarsOf(container)[0] : undefined;
    setRovingBar(next ?? firstVisibleBar(), true);
  } else if (event.key === 'Escape') hideCard();
  else {
    const next = moveFocus(bar, event.key);
    if (!next) return;
    setRovingBar(next, true);
  }
  event.preventDefault();
});

root.addEventListener(
  'wheel',
  (event) => {
    if (!event.ctrlKey) return;
    event.preventDefault();
    applyZoom(state.zoom * (event.deltaY < 0 ? 1.25 : 0.8));
  },
  { passive: false },
);

let scrollSave: number | undefined;
root.addEventListener(
  'scroll',
  (event) => {
    const scroller = event.target as HTMLElement;
    if (!scroller.classList?.contains('tl-scroll')) return;
    if (scrollSave !== undefined) return;
    scrollSave = window.setTimeout(() => {
      scrollSave = undefined;
      state.scroll = { left: scroller.scrollLeft, top: scroller.scrollTop };
      saveState();
    }, 200);
  },
  true,
);

window.addEventListener('resize', () => applyZoom(state.zoom, false));

// Live updates from the extension: the whole timeline again, with zoom, folding, focus and scroll kept.
window.addEventListener('message', (event: MessageEvent) => {
  const message = event.data as { type?: string; html?: string };
  if (message?.type !== 'update' || typeof message.html !== 'string') return;
  const scroller = $('.tl-scroll');
  if (scroller) state.scroll = { left: scroller.scrollLeft, top: scroller.scrollTop };
  const hadFocus = !!roving && document.activeElement === roving;
  root.innerHTML = message.html;
  init();
  if (hadFocus && roving) roving.focus({ preventScroll: true });
});

init();
vscode?.postMessage({ type: 'ready' });
