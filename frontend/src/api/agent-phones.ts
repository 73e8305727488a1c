import type { components } from './generated/openapi';
import { http } from './http';
import type { UserAccount, UserPage } from './models';

// 坐席分机 (administrators): `GET/PUT/DELETE /api/cti/agent-phones…` (docs/cti.md "Agents' phones").
type Schemas = components['schemas'];
export type AgentPhone = Schemas['AgentPhoneResponse'];
/** `{ userId, password? }`: the password is required for a new extension, optional when only the agent changes. */
export type PutAgentPhoneInput = Schemas['PutAgentPhoneDto'];

/** An extension is 2–16 digits (the API's EXTENSION_PATTERN). */
export const EXTENSION_PATTERN = /^\d{2,16}$/;
/** SIP passwords: 8–64 characters (PutAgentPhoneDto). */
export const SIP_PASSWORD_MIN = 8;
export const SIP_PASSWORD_MAX = 64;

/** Every extension with its agent (never a password or its hash). */
export function listAgentPhones(signal?: AbortSignal): Promise<AgentPhone[]> {
  return http.get<AgentPhone[]>('/cti/agent-phones', { signal });
}

/** Creates the extension or changes its agent and/or password (audited; only HA1 is stored). */
export function putAgentPhone(extension: string, input: PutAgentPhoneInput): Promise<AgentPhone> {
  return http.request<AgentPhone>({ method: 'PUT', url: `/cti/agent-phones/${encodeURIComponent(extension)}`, data: input });
}

/** Removes the extension (409 while it rings or is in a call); its agent goes offline. */
export function deleteAgentPhone(extension: string): Promise<void> {
  return http.delete<void>(`/cti/agent-phones/${encodeURIComponent(extension)}`);
}

/** Active users with the role agent (those who may have a phone), matching `keyword` (username or name). */
export async function listAgentUsers(keyword = '', signal?: AbortSignal): Promise<UserAccount[]> {
  const page = await http.get<UserPage>('/users', { params: { role: 'agent', pageSize: 100, ...(keyword.trim() ? { keyword: keyword.trim() } : {}) }, signal });
  return page.items.filter((user) => user.active);
}
