/** Rewrites the generated state diagram in docs/lifecycle.md from the rule table: `npm run docs:lifecycle -w backend`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withCurrentDiagram } from './lifecycle-diagram';

const file = join(__dirname, '..', '..', '..', 'docs', 'lifecycle.md');
writeFileSync(file, withCurrentDiagram(readFileSync(file, 'utf8')));
console.log(`Wrote the lifecycle diagram into ${file}`);
