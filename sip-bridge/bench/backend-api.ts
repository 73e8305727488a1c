/** The few calls of the backend's API the bench reads the outcome with (docs/cti.md: GET /api/calls). */

export const CALL_STATUSES = ['ringing', 'queued', 'answered', 'missed', 'abandoned', 'failed'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

interface CallListItem {
  id: number;
  status: CallStatus;
  recording: { bytes: number; durationSeconds: number } | null;
}

interface CallPage {
  items: CallListItem[];
  total: number;
}

/** GET /api/calls pages hold at most 100 and may not skip more than 10,000 records (common/pagination.ts). */
const PAGE_SIZE = 100;
const MAX_OFFSET = 10_000;

export class BackendApi {
  private constructor(
    readonly url: string,
    private readonly token: string,
  ) {}

  /** Logs a demo user in (the call records are center staff's: a supervisor reads them). */
  static async login(url: string, username: string, password: string): Promise<BackendApi> {
    const response = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const body = (await response.json()) as { accessToken?: string };
    if (response.status !== 200 || typeof body.accessToken !== 'string') throw new Error(`Login of ${username} failed: HTTP ${response.status} ${JSON.stringify(body)}`);
    return new BackendApi(url, body.accessToken);
  }

  /** How many call records match: `total` of GET /api/calls with pageSize 1. */
  async countCalls(filter: { from: Date; to: Date; phone: string; status?: CallStatus }): Promise<number> {
    return (await this.page(filter, 1, 1)).total;
  }

  /** Every call record of the window: how many there are, how many have their recording, and its seconds in all. */
  async recordings(filter: { from: Date; to: Date; phone: string }): Promise<{ calls: number; withRecording: number; recordedSeconds: number }> {
    const first = await this.page(filter, 1, 1);
    if (first.total > MAX_OFFSET) {
      // Deeper than the API pages: halve the window until each half fits.
      const middle = new Date((filter.from.getTime() + filter.to.getTime()) / 2);
      const [earlier, later] = await Promise.all([this.recordings({ ...filter, to: middle }), this.recordings({ ...filter, from: middle })]);
      return {
        calls: earlier.calls + later.calls,
        withRecording: earlier.withRecording + later.withRecording,
        recordedSeconds: earlier.recordedSeconds + later.recordedSeconds,
      };
    }
    let calls = 0;
    let withRecording = 0;
    let recordedSeconds = 0;
    for (let page = 1; (page - 1) * PAGE_SIZE < first.total; page++) {
      const { items } = await this.page(filter, page, PAGE_SIZE);
      for (const call of items) {
        calls += 1;
        if (call.recording !== null) {
          withRecording += 1;
          recordedSeconds += call.recording.durationSeconds;
        }
      }
    }
    return { calls, withRecording, recordedSeconds };
  }

  private async page(filter: { from: Date; to: Date; phone: string; status?: CallStatus }, page: number, pageSize: number): Promise<CallPage> {
    const query = new URLSearchParams({ from: filter.from.toISOString(), to: filter.to.toISOString(), phone: filter.phone, page: String(page), pageSize: String(pageSize) });
    if (filter.status !== undefined) query.set('status', filter.status);
    const response = await fetch(`${this.url}/api/calls?${query.toString()}`, { headers: { Authorization: `Bearer ${this.token}` } });
    if (response.status !== 200) throw new Error(`GET /api/calls?${query.toString()} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    return (await response.json()) as CallPage;
  }
}
