import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startTestApp, type Engine, type TestApp } from '../testing/test-app';

/** The CTI token of the test apps. */
export const CTI_TOKEN = 'test-cti-token-0123456789';

/** A test app with the CTI API configured and a recordings directory of its own. */
export async function startCtiTestApp(engine: Engine, env: Record<string, string> = {}): Promise<{ t: TestApp; recordingsDir: string; close: () => Promise<void> }> {
  const recordingsDir = mkdtempSync(join(tmpdir(), 'jiesu-recordings-'));
  const t = await startTestApp(engine, { env: { CTI_TOKEN, RECORDINGS_DIR: recordingsDir, CTI_RING_TIMEOUT: '15s', ...env } });
  return {
    t,
    recordingsDir,
    close: async () => {
      await t.close();
      rmSync(recordingsDir, { recursive: true, force: true });
    },
  };
}

/** POSTs to the CTI API with the token. */
export function ctiPost(t: TestApp, path: string, body: object = {}): request.Test {
  return request(t.server).post(path).set('Authorization', `Bearer ${CTI_TOKEN}`).send(body);
}

/** An instant `seconds` after `base`, as the RFC 3339 text an event carries. */
export const after = (base: Date, seconds: number): string => new Date(base.getTime() + seconds * 1000).toISOString();
