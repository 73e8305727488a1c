import { FOLLOWING_TRANSITIONS, RULES, SAME } from './work-order-state-machine';
import { STATUS_NAMES, WORK_ORDER_ACTIONS, WORK_ORDER_STATUSES } from './work-order.enums';

export const DIAGRAM_START = '<!-- lifecycle-diagram:start (generated from RULES by `npm run docs:lifecycle -w backend`; do not edit by hand) -->';
export const DIAGRAM_END = '<!-- lifecycle-diagram:end -->';

/**
 * docs/lifecycle.md's state diagram, written from the rule table: one arrow for every status an action can lead to
 * from every status it starts from, and a list of the actions that keep the status.
 */
export function lifecycleDiagram(): string {
  const lines = ['```mermaid', 'stateDiagram-v2'];
  for (const status of WORK_ORDER_STATUSES) lines.push(`  ${status}: ${status} ${STATUS_NAMES[status]}`);
  lines.push('', '  [*] --> registered: register', '  [*] --> dispatched: sub-dispatch (new child order)');
  const keeping: string[] = [];
  for (const action of WORK_ORDER_ACTIONS) {
    const { from, to } = RULES[action];
    if (to === SAME) {
      keeping.push(`\`${action}\` (in ${from.map((s) => `\`${s}\``).join(', ')})`);
      continue;
    }
    for (const status of from) {
      if (typeof to === 'string') {
        lines.push(`  ${status} --> ${to}: ${action}`);
        continue;
      }
      for (const target of to.possible) {
        if (target === status) continue;
        const when = to.when[target];
        lines.push(`  ${status} --> ${target}: ${action}${when ? ` (${when})` : ''}`);
      }
      if (to.possible.includes(status)) keeping.push(`\`${action}\` (in \`${status}\`, ${to.when[status] ?? 'sometimes'})`);
    }
  }
  for (const { from, to, when } of FOLLOWING_TRANSITIONS) lines.push(`  ${from} --> ${to}: ${when}`);
  lines.push('  cancelled --> [*]', '```', '', `Actions that keep the status (not drawn): ${keeping.join('; ')}.`);
  return [DIAGRAM_START, ...lines, DIAGRAM_END].join('\n');
}


/** Replaces the generated block of a lifecycle.md text with the current diagram. */
export function withCurrentDiagram(markdown: string): string {
  const start = markdown.indexOf(DIAGRAM_START);
  const end = markdown.indexOf(DIAGRAM_END);
  if (start < 0 || end < start) throw new Error('docs/lifecycle.md has no generated diagram block (lifecycle-diagram:start … end)');
  return markdown.slice(0, start) + lifecycleDiagram() + markdown.slice(end + DIAGRAM_END.length);
}
