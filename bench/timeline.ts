/**
 * `npm run bench:timeline`: the time to lay out and render a run's timeline (what the webview
 * does on every live update and `bridge run --timeline` once per run). Prints, asserts nothing;
 * the target is 100 ms for a run of 1,000 states.
 */
import { layoutTimeline } from '../src/core/timeline/layout';
import { renderTimelineBody } from '../src/core/timeline/render';
import type { RunLine } from '../src/core/run/events';
import { crossCloudRun, longRun } from '../test/unit/timeline/fixtures';
import { median, ms, percentile } from './stats';

function measure(name: string, lines: RunLine[], rounds = 30): void {
  const layout: number[] = [];
  const render: number[] = [];
  let size = 0;
  let rows = 0;
  for (let i = 0; i < rounds + 3; i++) {
    const t0 = performance.now();
    const model = layoutTimeline(lines);
    const t1 = performance.now();
    const html = renderTimelineBody(model);
    const t2 = performance.now();
    if (i < 3) continue; // warm-up
    layout.push(t1 - t0);
    render.push(t2 - t1);
    size = html.length;
    rows = model.rows.length;
  }
  const total = layout.map((l, i) => l + render[i]);
  console.log(
    `${name.padEnd(46)} layout ${ms(median(layout)).padStart(9)}  render ${ms(median(render)).padStart(9)}  total ${ms(median(total)).padStart(9)} (p90 ${ms(percentile(total, 90))})  ${rows} rows, ${(size / 1024).toFixed(0)} KiB of markup`,
  );
}

const states = longRun(1000);
measure(`1,000 states in a row (${states.length - 2} events)`, states);
const map = crossCloudRun({ iterations: 1000 });
measure(`Map of 1,000 iterations, 2,000 states (${map.length - 2} events)`, map);
const samples = crossCloudRun();
measure(`the cross-cloud sample run (${samples.length - 2} events)`, samples);
console.log('Target: 1,000 states laid out and rendered in at most 100 ms.');
