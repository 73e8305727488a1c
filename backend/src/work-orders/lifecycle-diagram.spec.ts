import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIAGRAM_END, DIAGRAM_START, lifecycleDiagram, withCurrentDiagram } from './lifecycle-diagram';

describe('docs/lifecycle.md', () => {
  const markdown = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'lifecycle.md'), 'utf8');

  it('holds the state diagram generated from the rule table (npm run docs:lifecycle -w backend rewrites it)', () => {
    expect(markdown).toContain(DIAGRAM_START);
    expect(withCurrentDiagram(markdown)).toBe(markdown);
  });

  it('draws the new lifecycle paths', () => {
    const diagram = lifecycleDiagram();
    expect(diagram).toContain('  registered --> invalid: invalidate');
    expect(diagram).toContain('  invalid --> registered: restore');
    expect(diagram).toContain('  processing --> registered: recall (back to dispatch)');
    expect(diagram).toContain('  processing --> unit_review: reply');
    expect(diagram).toContain('  unit_review --> reply_review: unit-approve-reply');
    expect(diagram).toContain('  callback_pending --> closed: callback-attempt (last attempt: unreachable)');
    expect(diagram).toContain('  merged --> callback_pending:');
    expect(diagram.endsWith(DIAGRAM_END)).toBe(true);
  });
});
