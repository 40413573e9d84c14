// Writes, from the config shape (src/core/config/shape.ts):
// - schemas/bridge-config.schema.json: the strict schema, for CI and other editors;
// - schemas/bridge-config.editor.schema.json: the one VS Code gets (completion and hover only; the
//   bridge rules do the validating, see editorSchema).
// A unit test fails when a committed schema differs from what this would write.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { bridgeConfigSchema, editorSchema } from '../src/core/config/schema';

const dir = path.join(__dirname, '..', '..', 'schemas');
const strict = bridgeConfigSchema();
for (const [name, schema] of [['bridge-config.schema.json', strict], ['bridge-config.editor.schema.json', editorSchema(strict)]] as const) {
  const target = path.join(dir, name);
  writeFileSync(target, JSON.stringify(schema, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
