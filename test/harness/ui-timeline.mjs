#!/usr/bin/env node
// UI test of the cross-cloud timeline in a real VS Code (code-server) through headless Chromium:
// loads the extension from this repository (extensionDevelopmentPath), opens the JSON Lines of a
// sandbox run of the samples, runs "Bridge: Show Timeline", checks the picture (both clouds on
// one axis, the gateway hop, hover cards, keyboard focus, zoom kept across hide/show, no CSP
// violation), saves screenshots in the dark and the light theme, then clicks a state and checks
// that its ASL file opens.
//
//   node test/harness/ui-timeline.mjs [--jsonl FILE] [--out DIR] [--verbose] [--keep]
//   (npm run test:ui:timeline builds first; without --jsonl it runs `bridge run --sandbox samples
//   --format jsonl` for the run, and says so if that fails)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { parseArgs, log, startCodeServer, launchBrowser, workbenchUrl, HERE } from './lib.mjs';

const ROOT = path.resolve(HERE, '..', '..');
const args = parseArgs(process.argv.slice(2));
const outDir = path.resolve(args.out || path.join(ROOT, 'test-results'));
const verbose = !!args.verbose;
const t0 = Date.now();
const step = (s) => log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${s}`);
fs.mkdirSync(outDir, { recursive: true });

// The workspace: the samples (so a click finds the ASL and pipeline files) and the run's lines.
const folder = fs.mkdtempSync(path.join(process.env.HARNESS_TMP || os.tmpdir(), 'ui-timeline-'));
fs.cpSync(path.join(ROOT, 'samples'), path.join(folder, 'samples'), { recursive: true });
let jsonl;
if (args.jsonl) jsonl = fs.readFileSync(path.resolve(args.jsonl), 'utf8');
else {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'bridge.js'), 'run', '--sandbox', 'samples', '--format', 'jsonl'], { cwd: folder, encoding: 'utf8', env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' }, timeout: 300_000 });
  if (run.status !== 0 || !run.stdout.trim()) {
    console.error(`ui-timeline: "bridge run --sandbox samples --format jsonl" failed (exit ${run.status}): ${run.stderr.trim().split('\n').slice(-3).join(' ')}\nGive a run with --jsonl FILE.`);
    process.exit(2);
  }
  jsonl = run.stdout;
}
fs.writeFileSync(path.join(folder, 'run.jsonl'), jsonl);
step(`workspace ${folder} with a run of ${jsonl.trim().split('\n').length} lines`);

async function runFromPalette(page, title) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 15000 });
    await input.fill('>' + title);
    try { await row.waitFor({ timeout: 3000 }); break; } catch (e) {
      if (attempt >= 10) throw e;
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
}

async function quickOpen(page, name) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+P');
    await input.waitFor({ state: 'visible', timeout: 15000 });
    await input.fill(name);
    try { await row.waitFor({ timeout: 5000 }); break; } catch (e) {
      if (attempt >= 6) throw e;
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).first().waitFor({ timeout: 15000 });
}

/** Polls `fn` until it returns a truthy value, up to `ms`. */
async function until(what, fn, ms = 30000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

let server, browser, page, ok = false;
const cspViolations = [];
try {
  server = await startCodeServer({ codeServerDir: args.codeServer, verbose, settings: { 'workbench.colorTheme': 'Default Dark Modern' } });
  browser = await launchBrowser({ chromium: args.chromium });
  page = await (await browser.newContext({ viewport: { width: 1500, height: 900 } })).newPage();
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
    if (verbose) console.log(`[browser:${m.type()}] ${m.text()}`);
  });
  await page.goto(workbenchUrl(server, { folder, payload: [['extensionDevelopmentPath', server.remoteUri(ROOT)]] }));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60000 });
  step('workbench loaded');

  await quickOpen(page, 'run.jsonl');
  await runFromPalette(page, 'Bridge: Show Timeline');
  // A file of several runs asks which one: the adf-to-sfn link.
  const pick = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'nightly-retrain' }).first();
  const view = page.frameLocator('iframe.webview').frameLocator('#active-frame');
  await until('the run pick or the timeline', async () => {
    if (await pick.isVisible()) await pick.click();
    return (await view.locator('.tl-row[data-row]').count()) > 0;
  }, 90000);
  step('timeline shown');

  const labels = (await view.locator('.tl-row[data-row]:not([hidden]) .tl-name').allInnerTexts()).map((s) => s.trim());
  step(`rows: ${labels.join(' | ')}`);
  for (const row of ['Pipeline RetrainModel', 'StartRetrain', 'API Gateway', 'Execution Retrain', 'TrainModel']) assert.ok(labels.includes(row), `a row "${row}"`);
  assert.ok(labels.indexOf('Pipeline RetrainModel') < labels.indexOf('API Gateway') && labels.indexOf('API Gateway') < labels.indexOf('Execution Retrain'), 'ADF, then the gateway, then Step Functions');
  const hops = await view.locator('line.hop').count();
  assert.ok(hops >= 2, `the gateway hop is drawn (into and out of the gateway): ${hops} lines`);

  // Hover: the card says what the bar is, its status and its duration.
  const barOf = (row) => view.locator(`.tl-row:has(.tl-name:text-is("${row}")) g.bar`).first();
  const train = barOf('TrainModel');
  await train.hover();
  const card = await until('the hover card', async () => {
    const text = await view.locator('#tl-tip').innerText();
    return (await view.locator('#tl-tip').isVisible()) && text;
  });
  step(`hover card: ${card.replace(/\n/g, ' / ')}`);
  assert.match(card, /TrainModel/);
  assert.match(card, /Step Functions state · Succeeded/);
  assert.match(card, /\d+(\.\d+)? (ms|s)/);

  // Keyboard: a bar takes focus, arrow down moves to the next row's bar.
  await barOf('SetRunDate').focus();
  await page.keyboard.press('ArrowDown');
  const focused = await until('focus to move', () => view.locator('g.bar:focus').getAttribute('aria-label'));
  step(`focus after ArrowDown: ${focused}`);
  assert.match(focused, /^StartRetrain: Data Factory activity/);

  await page.mouse.move(5, 880);
  await view.locator('.tl-scroll').focus().catch(() => {});
  await page.screenshot({ path: path.join(outDir, 'timeline-dark.png') });
  step('dark screenshot saved');

  // Zoom in, hide the panel behind another editor, show it again: the zoom is kept.
  await page.keyboard.press('+');
  const zoomed = await until('the zoom', async () => (await view.locator('.tl').getAttribute('style')) || '');
  const width = Number(/--track-w:\s*([\d.]+)px/.exec(zoomed)?.[1]);
  assert.ok(width > 0, `the track has a zoomed width (${zoomed})`);
  await page.locator('.tab', { hasText: 'run.jsonl' }).first().click();
  await page.locator('.tab', { hasText: 'Timeline' }).first().click();
  const restored = await until('the restored page', async () => {
    const style = (await view.locator('.tl').getAttribute('style')) || '';
    const w = Number(/--track-w:\s*([\d.]+)px/.exec(style)?.[1]);
    return w > 0 && w;
  });
  step(`zoomed width ${width}px, after hide/show ${restored}px`);
  assert.ok(Math.abs(restored - width) < 2, 'zoom kept across hide/show');

  // The light theme: the page follows the workbench's colours. (The palette's theme picker also
  // searches the marketplace, unreachable here: the toggle between the light and dark defaults.)
  await view.locator('[data-zoom="fit"]').click();
  await runFromPalette(page, 'Toggle between Light/Dark Themes');
  await until('the light theme in the webview', async () => (await view.locator('body').getAttribute('class'))?.includes('vscode-light'));
  await page.mouse.move(5, 880);
  await page.waitForTimeout(300); // let the theme's colours paint before the picture
  await page.screenshot({ path: path.join(outDir, 'timeline-light.png') });
  step('light screenshot saved');

  // A click on a state shows its line in the run log and the state in the ASL file.
  await barOf('TrainModel').click();
  await page.locator('.tab', { hasText: 'retrain.asl.json' }).first().waitFor({ timeout: 20000 });
  const selected = await until('the selection in the ASL file', async () => (await page.locator('.editor-group-container.active .view-lines').innerText()).includes('TrainModel'));
  assert.ok(selected);
  await page.locator('.tab', { hasText: '.jsonl' }).nth(1).waitFor({ timeout: 10000 }).catch(() => {});
  await page.screenshot({ path: path.join(outDir, 'timeline-reveal.png') });
  step('click on TrainModel opened retrain.asl.json');

  assert.deepEqual(cspViolations, [], 'no Content-Security-Policy violation');
  ok = true;
} catch (e) {
  log('FAILED:', (e && e.stack) || e);
  if (page) { try { await page.screenshot({ path: path.join(outDir, 'timeline-failure.png') }); } catch {} }
  if (server && verbose) process.stdout.write(server.output.join(''));
} finally {
  try { if (browser) await browser.close(); } catch {}
  if (server) await server.stop(!!args.keep);
  if (!args.keep) fs.rmSync(folder, { recursive: true, force: true });
  log(`ui timeline ${ok ? 'PASSED' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  console.log(`${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
  process.exit(ok ? 0 : 1);
}
