import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where Debian's sip-tester package installs SIPp's RTP captures (dtmf_2833_*.pcap, g711a.pcap). */
export const SIPP_PCAP_DIRECTORY = process.env.SIPP_PCAP_DIR ?? '/usr/share/sip-tester';

/**
 * The path of one of SIPp's pcaps, or undefined when sip-tester is not installed. A missing file is
 * reported loudly, and under CI=true it throws: CI installs sip-tester, so missing there is a broken setup.
 */
export function sippPcap(name: string): string | undefined {
  const path = join(SIPP_PCAP_DIRECTORY, name);
  if (existsSync(path)) return path;
  const message = `SIPp capture ${path} is missing (Debian package sip-tester); the tests replaying it are SKIPPED`;
  if (process.env.CI === 'true') throw new Error(message);
  process.stderr.write(`\n*** ${message} ***\n\n`);
  return undefined;
}
