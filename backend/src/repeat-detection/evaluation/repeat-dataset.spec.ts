import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { amplify, readDataset, type DatasetOrder } from './repeat-dataset';

function order(id: string, matterId: string, at: string, phone: string): DatasetOrder {
  return {
    id,
    matterId,
    createdAt: new Date(at),
    citizenName: '王先生',
    citizenPhone: phone,
    channel: 'phone',
    requestType: 'complaint',
    district: '东城区',
    street: '朝阳街道',
    address: '朝阳路1号',
    category: ['城乡建设', '市政设施', '路灯'],
    content: '朝阳路1号路灯不亮。',
  };
}

describe('amplify (busy matters for eval:repeat)', () => {
  const file = [order('D1', 'M1', '2026-06-01T10:00:00+08:00', '13800000001'), order('D2', 'M2', '2026-06-02T10:00:00+08:00', '13800000002'), order('D3', 'M1', '2026-06-05T10:00:00+08:00', '13800000001')];

  it('adds the orders per matter from new callers, near a member in time, sorted, the same for the same seed', () => {
    const busy = amplify(file, 25);
    expect(busy).toHaveLength(3 + 2 * 25);
    expect(busy.filter((o) => o.matterId === 'M1')).toHaveLength(27);
    expect(busy.filter((o) => o.matterId === 'M2')).toHaveLength(26);
    const added = busy.filter((o) => !file.includes(o));
    expect(new Set(added.map((o) => o.citizenPhone)).size).toBe(50);
    expect(added.some((o) => o.citizenPhone === '13800000001' || o.citizenPhone === '13800000002')).toBe(false);
    expect(new Set(busy.map((o) => o.id)).size).toBe(busy.length);
    for (const copy of added) {
      const near = file.filter((o) => o.matterId === copy.matterId).some((o) => Math.abs(o.createdAt.getTime() - copy.createdAt.getTime()) <= 3 * 24 * 3600 * 1000);
      expect(near).toBe(true);
      expect(copy.content.startsWith('朝阳路1号路灯不亮')).toBe(true);
    }
    expect(busy.every((o, i) => i === 0 || busy[i - 1].createdAt.getTime() <= o.createdAt.getTime())).toBe(true);
    expect(amplify(file, 25)).toEqual(busy);
    expect(amplify(file, 25, 8)).not.toEqual(busy);
  });

  it('keeps the file as it is for 0, and refuses a count that is not a whole number', () => {
    expect(amplify(file, 0)).toEqual(file);
    expect(() => amplify(file, -1)).toThrow(RangeError);
    expect(() => amplify(file, 1.5)).toThrow(RangeError);
  });

  it('gives a file readDataset accepts (sorted by time)', () => {
    const directory = mkdtempSync(join(tmpdir(), 'jiesu-amplify-'));
    try {
      const path = join(directory, 'busy.jsonl');
      const busy = amplify(file, 5);
      writeFileSync(path, busy.map((o) => JSON.stringify({ ...o, createdAt: o.createdAt.toISOString(), category: o.category.join('/') })).join('\n'));
      expect(readDataset(path)).toHaveLength(busy.length);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
