import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCESS } from '../src/access';
import { FIELD_ACCESS } from '../src/access/fields';
import { committedOperations } from '../src/access/operations';
import { renderAccessPage } from '../src/access/page';

// Writes proto-docs/ACCESS.md from the access table (`npm run docs:access`).
const target = join(__dirname, '..', '..', 'proto-docs', 'ACCESS.md');
writeFileSync(target, renderAccessPage(ACCESS, committedOperations(), FIELD_ACCESS));
console.log(`wrote ${target}`);
