#!/usr/bin/env node
// UI smoke test in a real VS Code (code-server) through headless Debian Chromium: installs the
// packaged .vsix into a fresh extensions folder, opens a copy of the fixture workspace, opens a
// broken bridge config, reads the Problems panel, runs "Bridge: Validate Workspace" from the
// Command Palette and reads its notification, checks that an ADF expression in a pipeline is
// painted differently from the string around it; then opens a copy of samples/, opens the Bridge
// view from the activity bar, runs a link from its inline Run action (picking the payload in the
// quick pick), and reads the run's lines in the Output panel "Bridge Runs"; takes screenshots.
//
//   node test/harness/ui-smoke.mjs --vsix dist/adf-sfn-bridge.vsix [--screenshot FILE] [--verbose] [--keep]
//   (normally through test/harness/run-ui-smoke.sh, which packages and sets up first)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { parseArgs, log, startCodeServer, launchBrowser, workbenchUrl, HERE } from './lib.mjs';

const ROOT = path.resolve(HERE, '..', '..');
const args = parseArgs(process.argv.slice(2));
const vsix = path.resolve(args.vsix || path.join(ROOT, 'dist', 'adf-sfn-bridge.vsix'));
const shot = path.resolve(args.screenshot || path.join(ROOT, 'test-results', 'ui-smoke.png'));
const verbose = !!args.verbose;
const t0 = Date.now();
const step = (s) => log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${s}`);

if (!fs.existsSync(vsix)) {
  console.error(`ui-smoke: ${vsix} does not exist. Build it with: npm run package`);
  process.exit(2);
}
fs.mkdirSync(path.dirname(shot), { recursive: true });
const folder = fs.mkdtempSync(path.join(process.env.HARNESS_TMP || os.tmpdir(), 'ui-workspace-'));
fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'integration', 'workspace'), folder, { recursive: true });
const samples = fs.mkdtempSync(path.join(process.env.HARNESS_TMP || os.tmpdir(), 'ui-samples-'));
fs.cpSync(path.join(ROOT, 'samples'), samples, { recursive: true });

/** Runs a command through the Command Palette, reopening it until the command is listed. */
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

/** Opens a workspace file through Quick Open (Ctrl+P). */
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

let server, browser, page, ok = false;
try {
  server = await startCodeServer({ codeServerDir: args.codeServer, verbose, installExtensions: [vsix] });
  browser = await launchBrowser({ chromium: args.chromium });
  page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  page.on('pageerror', (err) => { if (verbose) console.log('[browser:pageerror]', err.message); });
  if (verbose) page.on('console', (m) => console.log(`[browser:${m.type()}] ${m.text()}`));

  await page.goto(workbenchUrl(server, { folder }));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60000 });
  step('workbench loaded with the fixture workspace');

  // 1. Open the broken config; the Problems panel lists its planted problems with their codes.
  await quickOpen(page, 'broken.bridge.jsonc');
  step('opened broken.bridge.jsonc');
  await runFromPalette(page, 'Problems: Focus on Problems View');
  const problems = page.locator('.markers-panel .monaco-list-row');
  const expected = ['region-mismatch', 'account-mismatch', 'partition-mismatch', 'missing-throttle', 'unprotected-prod', 'unknown-property', 'missing-property', 'correlation-parameter-missing'];
  const deadline = Date.now() + 60000;
  let rows = [];
  while (Date.now() < deadline) {
    rows = (await problems.allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
    if (expected.every((code) => rows.some((r) => r.includes(code)))) break;
    await page.waitForTimeout(500); // the panel renders rows as the markers arrive
  }
  step(`Problems panel rows (${rows.length}):\n    ${rows.join('\n    ')}`);
  for (const code of expected) assert.ok(rows.some((r) => r.includes(code) && r.includes('bridge')), `the Problems panel shows ${code} from bridge`);
  const region = rows.find((r) => r.includes('region-mismatch'));
  assert.match(region, /us-east-1/, 'the message says which region');

  // 2. Bridge: Validate Workspace from the Command Palette, and its summary notification.
  await runFromPalette(page, 'Bridge: Validate Workspace');
  const note = page.locator('.notification-list-item-message', { hasText: 'configs checked' }).first();
  try { await note.waitFor({ timeout: 30000 }); } catch {
    await runFromPalette(page, 'Notifications: Show Notifications');
    await note.waitFor({ timeout: 15000 });
  }
  const summary = (await note.innerText()).trim();
  step(`notification: "${summary}"`);
  assert.match(summary, /^Bridge: \d+ configs checked: \d+ errors?, \d+ warnings? in \d+ files?\.$/);

  // 3. The grammar: in a pipeline, `pipeline` inside "@…" is painted unlike the plain string.
  await quickOpen(page, 'ExportOrders.json');
  const colours = async (hasText) => page.locator('.view-line', { hasText }).first().locator('span > span')
    .evaluateAll((spans) => spans.map((s) => ({ text: s.textContent, colour: getComputedStyle(s).color })));
  let fn, plain;
  const until = Date.now() + 30000;
  while (Date.now() < until) {
    // Tokens arrive after the text, and their colours after the tokens (under load a span can be
    // read between the two, or while the line is redrawn, with no colour): wait until both are
    // painted and then see whether they differ.
    fn = (await colours('pipeline().RunId')).find((t) => t.text === 'pipeline');
    plain = (await colours('"POST"')).find((t) => t.text === '"POST"');
    if (fn?.colour && plain?.colour && fn.colour !== plain.colour) break;
    await page.waitForTimeout(250);
  }
  step(`token colours: ${JSON.stringify(fn)} vs the plain string ${JSON.stringify(plain)}`);
  assert.ok(fn && plain, 'the expression line is tokenized');
  assert.ok(fn.colour && plain.colour && fn.colour !== plain.colour, 'the expression is highlighted unlike the string around it');

  await page.screenshot({ path: shot.replace(/\.png$/, '-problems.png') });

  // 4. The Bridge view on the samples: run a link from its inline action, read "Bridge Runs".
  await page.goto(workbenchUrl(server, { folder: samples }));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  const bridgeTab = page.locator('.activitybar .action-item a[aria-label^="Bridge"], .activitybar .action-item[aria-label^="Bridge"]').first();
  await bridgeTab.waitFor({ timeout: 60000 });
  await bridgeTab.click();
  step('opened the Bridge view from the activity bar');
  const linkRow = page.locator('.pane .monaco-list-row', { hasText: 'landing-csv' }).first();
  await linkRow.waitFor({ timeout: 60000 });
  const linkRows = (await page.locator(".pane .monaco-list-row").allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
  step(`Links view rows:\n    ${linkRows.join('\n    ')}`);
  for (const link of ['nightly-retrain', 'ingest-landing', 'landing-csv']) assert.ok(linkRows.some((r) => r.startsWith(link)), `the Links view lists ${link}`);
  await linkRow.hover();
  const runAction = linkRow.locator('.action-label[aria-label^="Run Link"]').first();
  await runAction.waitFor({ timeout: 15000 });
  await runAction.click();
  step('clicked the inline Run Link action of landing-csv');
  // The payload quick pick: the link's payload file is the first choice.
  const payloadRow = page.locator('.quick-input-widget .monaco-list-row', { hasText: 's3-object-created.json' }).first();
  await payloadRow.waitFor({ timeout: 30000 });
  await page.keyboard.press('Enter');
  step('picked the payload s3-object-created.json');
  
  let logText = '';
  const logDeadline = Date.now() + 120000;
  let shown = false;
  while (Date.now() < logDeadline) {
    if (!shown) {
      // Bridge: Show Run Log with no run opens the "Bridge Runs" channel.
      await runFromPalette(page, 'Bridge: Show Run Log');
      shown = true;
    }
    logText = (await page.locator('.part.panel .view-lines').first().innerText().catch(() => '')) || '';
    if (/Succeeded|Failed/.test(logText) && /\[[0-9a-zA-Z-]{16,}\]/.test(logText)) break;
    await page.waitForTimeout(500); // the channel renders lines as the run streams them
  }
  step(`"Bridge Runs" shows:\n    ${logText.split('\n').slice(0, 12).join('\n    ')}`);
  const channelName = await page.locator('.part.panel .monaco-select-box, .part.panel select').first().innerText().catch(() => '');
  assert.ok(/Bridge Runs/.test(channelName) || /landing-csv/.test(logText), `the Output panel shows the "Bridge Runs" channel (${channelName})`);
  const ids = [...logText.matchAll(/\[([0-9a-zA-Z-]{16,})\]/g)].map((m) => m[1]);
  assert.ok(ids.length >= 3, 'several lines carry the correlation id');
  assert.ok(ids.every((id) => id === ids[0]), 'one correlation id for the run');
  assert.match(logText, /landing-csv|LandingCsv/, 'the run of landing-csv (its start line, or its execution of LandingCsv)');
  assert.match(logText, /ExecutionStarted|sfn/);
  await page.screenshot({ path: shot });
  step(`screenshot saved to ${shot}`);
  ok = true;
} catch (e) {
  log('FAILED:', (e && e.stack) || e);
  if (page) { try { await page.screenshot({ path: shot.replace(/\.png$/, '-failure.png') }); } catch {} }
  if (server) process.stdout.write(server.output.join(''));
} finally {
  try { if (browser) await browser.close(); } catch {}
  if (server) await server.stop(!!args.keep);
  if (!args.keep) fs.rmSync(folder, { recursive: true, force: true });
  if (!args.keep) fs.rmSync(samples, { recursive: true, force: true });
  log(`ui smoke ${ok ? 'PASSED' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  console.log(`${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
  process.exit(ok ? 0 : 1);
}
