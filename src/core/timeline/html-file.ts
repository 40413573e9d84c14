/**
 * The self-contained HTML file of a run's timeline (`bridge run --timeline FILE.html`): the same
 * markup, style and page script as the webview, inlined, with a strict Content-Security-Policy and
 * nothing loaded from anywhere, so it opens offline (CI artifacts, bug reports).
 */
import { randomBytes } from 'node:crypto';
import path = require('node:path');
import type { RunLine } from '../run/events';
import { layoutTimeline, type TimelineOptions } from './layout';
import { renderTimelineDocument } from './render';

/** The page of one run; `script` is the text of the page script (dist/timeline-view.js). */
export function renderTimelineFile(lines: readonly RunLine[], script: string, options: TimelineOptions = {}): string {
  return renderTimelineDocument(layoutTimeline(lines, options), { nonce: randomBytes(16).toString('base64'), script: { inline: script } });
}

/**
 * The file of each run: FILE itself for one run; for several, FILE with the link's name inserted
 * before the extension (`out.html` → `out.nightly-retrain.html`), and a number when a link ran twice.
 */
export function timelineFilePaths(file: string, links: readonly string[]): string[] {
  if (links.length === 1) return [file];
  const ext = path.extname(file);
  const base = file.slice(0, file.length - ext.length);
  const seen = new Map<string, number>();
  const total = new Map<string, number>();
  for (const link of links) total.set(link, (total.get(link) ?? 0) + 1);
  return links.map((link) => {
    const n = (seen.get(link) ?? 0) + 1;
    seen.set(link, n);
    const slug = link.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'run';
    return `${base}.${slug}${total.get(link)! > 1 ? `-${n}` : ''}${ext || '.html'}`;
  });
}
