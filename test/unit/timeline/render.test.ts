import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writeRunTimelines } from '../../../src/cli/timeline-file';
import { timelineFilePaths } from '../../../src/core/timeline/html-file';
import { layoutTimeline } from '../../../src/core/timeline/layout';
import { locateActivity, locateState } from '../../../src/core/timeline/locate';
import { renderTimelineBody, renderTimelineDocument } from '../../../src/core/timeline/render';
import { crossCloudRun, RunStream } from './fixtures';

const doc = (lines = crossCloudRun()) => renderTimelineDocument(layoutTimeline(lines), { nonce: 'n0nce', script: { inline: 'console.log("x</script>")' } });

describe('renderTimelineDocument', () => {
  test('a strict CSP: no source but the nonce, nothing loaded from anywhere, no style attributes', () => {
    const html = doc();
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1].replace(/&#39;/g, "'");
    assert.equal(csp, "default-src 'none'; img-src data:; style-src 'nonce-n0nce'; script-src 'nonce-n0nce'; font-src 'none'");
    assert.doesNotMatch(html, /\sstyle="/, 'inline style attributes would be blocked by the CSP');
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//);
    assert.equal((html.match(/<script nonce="n0nce">/g) ?? []).length, 1);
    assert.match(html, /<style nonce="n0nce">/);
    assert.match(html, /x<\\\/script>/, 'the inlined script cannot close its element early');
  });

  test('every bar a user can reach has a label saying what, status and how long; folded rows start hidden', () => {
    const html = renderTimelineBody(layoutTimeline(crossCloudRun({ iterations: 12 })));
    const bars = html.match(/<g class="bar[^>]*>/g) ?? [];
    assert.ok(bars.length > 20);
    for (const bar of bars.filter((b) => b.includes('tabindex') && !b.includes('kd-summary'))) assert.match(bar, /role="button" aria-label="[^"]+: (Data Factory|Step Functions|API Gateway) [^"]+, (Succeeded|Failed|running|HTTP \d+)[^"]*, [\d.]+ (ms|s)/);
    assert.match(html, /aria-label="Validate: Step Functions state, Failed, 200 ms, started 10:00:02\.865, error States\.Timeout: attempt 1 timed out"/);
    const hidden = html.match(/<div class="tl-row[^>]*data-overflow="[^"]+"[^>]*hidden>/g) ?? [];
    assert.equal(hidden.length, 4);
    assert.match(html, /aria-expanded="false"[^>]*><div class="tl-label"[^>]*><button[^>]*aria-label="Show 4 more iterations"/);
  });

  test('names and errors from the run are escaped and secrets redacted', () => {
    const s = new RunStream('01JDESCAPE', 'x<script>alert(1)</script>');
    const p = s.pipeline('P"><img src=x>', 'run-1').start();
    p.activity('Call', 'WebActivity', 50, 'Failed', { code: '2108', message: 'GET https://acct.blob.core.windows.net/c?sv=2022-11-02&sig=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789%2BabcdE%3D failed </script><script>alert(2)' });
    p.end('Failed');
    const html = doc(s.summary('Failed', 'Call failed').lines);
    assert.doesNotMatch(html, /<script>alert/);
    assert.doesNotMatch(html, /<img src=x>/);
    assert.doesNotMatch(html, /AbCdEfGhIjKlMnOpQrStUvWxYz/, 'the SAS signature is redacted everywhere, the page data too');
    assert.match(html, /redacted/);
    const data = /<script type="application\/json" id="tl-data">(.*?)<\/script>/.exec(html)?.[1];
    assert.ok(data);
    const parsed = JSON.parse(data);
    assert.equal(parsed.bars.find((b: { name: string }) => b.name === 'Call').status, 'failed');
  });

  test('the hops are drawn between the rows they join, with arrows', () => {
    const html = renderTimelineBody(layoutTimeline(crossCloudRun()));
    const hops = html.match(/<line class="hop"[^>]*>/g) ?? [];
    assert.equal(hops.length, 2);
    for (const hop of hops) assert.match(hop, /marker-end="url\(#tl-arrow\)"/);
  });

  test('a live run says so', () => {
    assert.match(renderTimelineBody(layoutTimeline(crossCloudRun({ live: true }))), /tl-status st-running">Running<\/span> <span class="tl-live"/);
  });
});

describe('timeline files', () => {
  test('one run: FILE; several: the link name inserted, numbered when a link ran twice', () => {
    assert.deepEqual(timelineFilePaths('out/t.html', ['a']), ['out/t.html']);
    assert.deepEqual(timelineFilePaths('out/t.html', ['nightly-retrain', 'ingest landing', 'nightly-retrain']), [
      'out/t.nightly-retrain-1.html', 'out/t.ingest-landing.html', 'out/t.nightly-retrain-2.html',
    ]);
    assert.deepEqual(timelineFilePaths('report', ['a', 'b']), ['report.a.html', 'report.b.html']);
  });

  test('writeRunTimelines writes one self-contained page per run, with the page script inlined', async (t) => {
    const script = path.resolve('dist/timeline-view.js');
    if (!existsSync(script)) return t.skip('run "npm run build" first: the page script is a build output');
    const dir = mkdtempSync(path.join(tmpdir(), 'bridge-timeline-'));
    try {
      const files = await writeRunTimelines(path.join(dir, 'sub', 'run.html'), [...crossCloudRun(), ...new RunStream('01JDOTHER', 'other').summary('Refused', 'protected').lines]);
      assert.deepEqual(files.map((f) => path.basename(f)), ['run.nightly-retrain.html', 'run.other.html']);
      const html = readFileSync(files[0], 'utf8');
      assert.ok(html.includes(readFileSync(script, 'utf8').slice(0, 200)), 'the page script is inlined');
      assert.match(html, /Pipeline IngestAndRetrain/);
      assert.match(readFileSync(files[1], 'utf8'), /Refused/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('locate', () => {
  test('an activity nested in a ForEach of a pipeline JSON file', () => {
    const text = JSON.stringify({ name: 'P', properties: { activities: [{ name: 'Loop', type: 'ForEach', typeProperties: { activities: [{ name: 'Inner', type: 'Copy' }] } }] } }, null, 2);
    const span = locateActivity('/p.json', text, 'Inner');
    assert.ok(span);
    assert.equal(text.slice(span.offset, span.offset + span.length), '"Inner"');
    assert.equal(locateActivity('/p.json', text, 'Missing'), undefined);
  });

  test('a state inside a Map item processor of an ASL file with comments', () => {
    const text = `{
  // comment
  "StartAt": "Each",
  "States": { "Each": { "Type": "Map", "ItemProcessor": { "StartAt": "Score", "States": { "Score": { "Type": "Pass", "End": true } } }, "End": true } }
}`;
    const span = locateState('/m.asl.json', text, 'Score');
    assert.ok(span);
    assert.equal(text.slice(span.offset, span.offset + span.length), '"Score"');
    assert.ok(span.offset > text.indexOf('ItemProcessor'), 'the state key, not the StartAt value');
  });
});
