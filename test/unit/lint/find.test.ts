// The workspace walk (the editor's scan at start-up and `bridge lint <folder>`): kinds from the
// directory listing, a stat only where the listing cannot tell (symbolic links).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findBridgeConfigs } from '../../../src/core/lint/find';
import { memoryHost, nodeFileHost } from '../../../src/core/node-host';

test('findBridgeConfigs: follows linked folders, lists linked configs, skips node_modules, .git and folders named like configs', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-find-'));
  try {
    const write = (rel: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), '{}');
    };
    write('a.bridge.jsonc');
    write('deep/er/b.bridge.json');
    write('node_modules/pkg/c.bridge.jsonc');
    write('.git/d.bridge.jsonc');
    write('elsewhere/e.bridge.jsonc');
    write('elsewhere/not-a-config.json');
    fs.mkdirSync(path.join(root, 'folder.bridge.jsonc'));
    fs.symlinkSync(path.join(root, 'elsewhere'), path.join(root, 'linked-folder'));
    fs.symlinkSync(path.join(root, 'a.bridge.jsonc'), path.join(root, 'linked.bridge.jsonc'));
    const found = (await findBridgeConfigs([root], nodeFileHost)).map((p) => path.relative(root, p));
    assert.deepEqual(found, ['a.bridge.jsonc', 'deep/er/b.bridge.json', 'elsewhere/e.bridge.jsonc', 'linked-folder/e.bridge.jsonc', 'linked.bridge.jsonc'].map((p) => p.split('/').join(path.sep)));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('findBridgeConfigs: a host without typed listings is walked with a stat per entry, to the same answer', async () => {
  const root = path.resolve('/ws');
  const host = memoryHost(new Map([[path.join(root, 'x.bridge.jsonc'), '{}'], [path.join(root, 'sub', 'y.bridge.json'), '{}'], [path.join(root, 'node_modules', 'z.bridge.jsonc'), '{}']]));
  assert.equal(host.readDirectoryTyped, undefined);
  assert.deepEqual(await findBridgeConfigs([root], host), [path.join(root, 'sub', 'y.bridge.json'), path.join(root, 'x.bridge.jsonc')]);
});
