import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path = require('node:path');
import type { RunLine } from '../core/run/events';
import { splitRuns } from '../core/timeline/layout';
import { renderTimelineFile, timelineFilePaths } from '../core/timeline/html-file';
import { UsageError } from './io';

/**
 * The page script beside the CLI bundle (dist/timeline-view.js); from the compiled tests
 * (out/src/cli) it is the repository's dist/.
 */
export function timelineScript(): string {
  for (const candidate of [path.join(__dirname, 'timeline-view.js'), path.join(__dirname, '..', '..', '..', 'dist', 'timeline-view.js')]) {
    if (existsSync(candidate)) return readFileSync(candidate, 'utf8');
  }
  throw new UsageError('The timeline page script (dist/timeline-view.js) is missing from this installation: run "npm run build".');
}

/** Writes one HTML file per run (see timelineFilePaths); returns the paths written. */
export async function writeRunTimelines(file: string, lines: readonly RunLine[]): Promise<string[]> {
  const runs = splitRuns(lines);
  if (!runs.length) return [];
  const script = timelineScript();
  const links = runs.map((run) => run.find((l) => l.type === 'run')?.link ?? run[0].correlationId);
  const files = timelineFilePaths(file, links);
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await Promise.all(runs.map((run, i) => writeFile(files[i], renderTimelineFile(run, script))));
  return files;
}
