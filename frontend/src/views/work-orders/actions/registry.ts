import { centerActionDialogs } from './center/registry-center';
import { repeatActionDialogs } from './repeats/registry-repeats';
import type { ActionDialogs } from './types';
import { unitActionDialogs } from './unit/registry-unit';

/** Every action's form; an action without one gets the generic note/reason form of the action host. */
export const actionDialogs: ActionDialogs = { ...unitActionDialogs, ...centerActionDialogs, ...repeatActionDialogs };
