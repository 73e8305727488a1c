import { computed, ref, shallowRef } from 'vue';
import { listCallAgents, type CallListItem } from '@/api/calls';

export interface AgentOption {
  id: number;
  name: string;
}

/**
 * The agents the call list's filter offers: the active agents (`GET /api/calls/agents`), plus the agents who answered
 * the calls shown so far (a deactivated agent still answered old calls) and the one an address names.
 */
export function useAgentOptions() {
  const listed = shallowRef<AgentOption[]>([]);
  const seen = ref(new Map<number, string>());

  async function load(): Promise<void> {
    try {
      listed.value = (await listCallAgents()).map((agent) => ({ id: agent.id, name: agent.displayName }));
    } catch {
      // The filter still offers the agents seen in the list.
    }
  }

  /** Remembers the answering agents of a page of calls. */
  function remember(calls: readonly CallListItem[]): void {
    let changed = false;
    const next = new Map(seen.value);
    for (const call of calls) {
      const agent = call.answeringAgent;
      if (agent && agent.displayName && next.get(agent.id) !== agent.displayName) {
        next.set(agent.id, agent.displayName);
        changed = true;
      }
    }
    if (changed) seen.value = next;
  }

  /** By name; an id only the address gave shows as `#id` until a call names it. */
  function optionsWith(selected: number | null): AgentOption[] {
    const byId = new Map<number, string>();
    for (const option of listed.value) byId.set(option.id, option.name);
    for (const [id, name] of seen.value) if (!byId.has(id)) byId.set(id, name);
    if (selected !== null && !byId.has(selected)) byId.set(selected, `#${selected}`);
    return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  }

  return { load, remember, optionsWith, listedCount: computed(() => listed.value.length) };
}
