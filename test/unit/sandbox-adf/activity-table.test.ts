/**
 * The ADF activity handler table (src/sandbox/datafactory/activities/index.ts), which the recipe
 * "Add an ADF activity type" in CONTRIBUTING.md relies on: every handler file is registered, each
 * entry is a handler, and activity types come only from the table's own entries.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ACTIVITY_HANDLERS, activityHandler } from '../../../src/sandbox/datafactory/activities/index';

const ACTIVITIES_DIR = path.resolve(__dirname, '../../../src/sandbox/datafactory/activities');
const SHARED_FILES = new Set(['index.js', 'web-request.js']);

describe('ADF activity handlers', () => {
  it('registers the handler of every file in activities/ in the table', () => {
    const registered = new Set(Object.values(ACTIVITY_HANDLERS));
    const files = readdirSync(ACTIVITIES_DIR).filter((f) => f.endsWith('.js') && !SHARED_FILES.has(f));
    assert.ok(files.length >= 12, `expected the handler files, found ${files.join(', ')}`);
    for (const file of files) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = Object.values(require(path.join(ACTIVITIES_DIR, file)) as Record<string, unknown>);
      const handlers = exported.filter((v): v is { control: boolean; run: unknown } => typeof v === 'object' && v !== null && 'run' in v && 'control' in v);
      assert.equal(handlers.length, 1, `${file} exports one ActivityHandler`);
      assert.ok(registered.has(handlers[0] as never), `${file}'s handler is in ACTIVITY_HANDLERS`);
    }
  });

  it('marks control-flow types as control (never mocked, never retried) and Web calls as not', () => {
    for (const type of ['IfCondition', 'Switch', 'ForEach', 'Until', 'ExecutePipeline', 'SetVariable', 'AppendVariable', 'Filter', 'Wait', 'Fail', 'Validation']) {
      assert.equal(activityHandler(type)?.control, true, type);
    }
    assert.equal(activityHandler('WebActivity')?.control, false);
    assert.equal(activityHandler('WebHook')?.control, false);
  });

  it('knows no type that is not its own entry (pipeline JSON names the type)', () => {
    for (const type of ['Copy', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) assert.equal(activityHandler(type), undefined, type);
  });
});
