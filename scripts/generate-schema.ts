// Writes schemas/bridge-config.schema.json from the config shape (src/core/config/shape.ts).
// A unit test fails when the committed schema differs from what this would write.
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { bridgeConfigSchema } from '../src/core/config/schema';

const target = path.join(__dirname, '..', '..', 'schemas', 'bridge-config.schema.json');
writeFileSync(target, JSON.stringify(bridgeConfigSchema(), null, 2) + '\n');
console.log(`wrote ${path.relative(process.cwd(), target)}`);
