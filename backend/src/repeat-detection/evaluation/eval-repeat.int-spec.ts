import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateFile } from './eval-repeat';

/**
 * The evaluation command end to end on a small file written for this test (a city of its own): registrations through
 * the real service on a scratch SQLite database, the proposals read back from the detector, the summary line.
 */
const ORDERS = [
  // M1: one caller about a lamp, twice; another caller about the same lamp (hotspot).
  { id: 'T01', matterId: 'M1', createdAt: '2026-04-01T20:10:00+08:00', citizenPhone: '13811110001', requestType: 'complaint', district: '江北区', street: '滨河街道', address: '柳荫路33号', category: '城乡建设/市政设施/路灯', content: '柳荫路33号门前的两盏路灯不亮已经一周，晚上走路看不见，请派人维修。' },
  { id: 'T02', matterId: 'M2', createdAt: '2026-04-02T09:00:00+08:00', citizenPhone: '13811110002', requestType: 'complaint', district: '江北区', street: '滨河街道', address: '金桂苑小区5栋', category: '住房保障/物业管理/电梯故障', content: '金桂苑5栋电梯三天两头停运，今天又把人关在里面半小时，物业一直拖着不修。' },
  { id: 'T03', matterId: 'M1', createdAt: '2026-04-03T21:00:00+08:00', citizenPhone: '13811110003', requestType: 'complaint', district: '江北区', street: '滨河街道', address: '柳荫路33号附近', category: '城乡建设/市政设施/路灯', content: '柳荫路33号附近那一段路灯都不亮，老人晚上出门摔了一跤，希望赶紧修好路灯。' },
  // M3: the same problem on another road, nearly the same words (a different matter).
  { id: 'T04', matterId: 'M3', createdAt: '2026-04-04T19:30:00+08:00', citizenPhone: '13811110004', requestType: 'complaint', district: '江北区', street: '滨河街道', address: '青松路8号', category: '城乡建设/市政设施/路灯', content: '青松路8号门前的两盏路灯不亮已经一周，晚上走路看不见，请派人维修。' },
  // M4: the same compound, another problem (a different matter).
  { id: 'T05', matterId: 'M4', createdAt: '2026-04-05T10:00:00+08:00', citizenPhone: '13811110005', requestType: 'consultation', district: '江北区', street: '滨河街道', address: '金桂苑小区', category: '住房保障/物业管理/物业收费', content: '金桂苑物业今年把停车费从每月一百涨到两百，没有开业主大会，想咨询这样是否合规。' },
  { id: 'T06', matterId: 'M1', createdAt: '2026-04-10T20:40:00+08:00', citizenPhone: '13811110001', requestType: 'complaint', district: '江北区', street: '滨河街道', address: '柳荫路33号门口', category: '城乡建设/市政设施/路灯', content: '上周反映过柳荫路33号门口路灯不亮，到现在还是黑的，到底什么时候来修？' },
  { id: 'T07', matterId: 'M2', createdAt: '2026-04-12T08:30:00+08:00', citizenPhone: '13811110002', requestType: 'complaint', district: '江北区', street: '滨河街道', address: '金桂苑5栋', category: '住房保障/物业管理/电梯故障', content: '金桂苑5栋的电梯又坏了，上次反映后物业只是重启了一下，今天再次停在两层中间。' },
  // The same caller as M1, another matter far away (not a repeat).
  { id: 'T08', matterId: 'M5', createdAt: '2026-04-15T11:00:00+08:00', citizenPhone: '13811110001', requestType: 'complaint', district: '江北区', street: '望江街道', address: '望江广场', category: '生态环境/噪声污染/社会生活噪声', content: '望江广场每晚广场舞音响开得很大，一直跳到十点多，住在旁边的居民没法休息。' },
];

describe('npm run eval:repeat', () => {
  let directory: string;
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'jiesu-eval-spec-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('registers a file through the real service and scores the pairs the detector proposes', async () => {
    const file = join(directory, 'city.jsonl');
    writeFileSync(file, ORDERS.map((o) => JSON.stringify({ citizenName: '张先生', channel: 'phone', ...o })).join('\n'));
    const result = await evaluateFile(file);
    // Truth: repeats T01–T06 and T02–T07; hotspot pairs T01–T03 and T03–T06.
    expect(result.repeats).toMatchObject({ truth: 2, correct: 2, proposed: 2 });
    expect(result.hotspots).toMatchObject({ truth: 2, correct: 2, proposed: 2 });
    expect(result.lines[result.lines.length - 1]).toBe('repeats precision=1.00 recall=1.00 hotspots precision=1.00 recall=1.00');
  }, 60_000);

  it('refuses a file out of time order with the line that breaks it', async () => {
    const file = join(directory, 'unsorted.jsonl');
    writeFileSync(file, [ORDERS[1], ORDERS[0]].map((o) => JSON.stringify({ channel: 'phone', ...o })).join('\n'));
    await expect(evaluateFile(file)).rejects.toThrow('Line 2: the file must be sorted by createdAt');
  });
});
