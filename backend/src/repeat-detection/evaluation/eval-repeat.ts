/**
 * `npm run eval:repeat -- <file.jsonl>`: measures the repeat detector on a labelled file (the format of
 * ../shared/data/repeat-dev.jsonl). Creates a scratch SQLite database (EVAL_DATABASE_URL=mysql://… for a scratch
 * MariaDB database instead), the center, the districts, streets and categories the file names, and one agent; then
 * registers the orders one by one through the real registration service, each at its own createdAt (the clock is set
 * to it). After each registration it reads the matter the detector put the order in: every earlier order of that
 * matter is a proposed pair — a repeat when the phone is the same, a hotspot pair otherwise. The proposals are
 * compared with the file's truth (same matterId). The last line reads
 * `repeats precision=… recall=… hotspots precision=… recall=…`.
 * EVAL_AMPLIFY=n adds n orders per matter from other callers (repeat-dataset.ts `amplify`): busy matters, where the
 * detector's limits on what it reads and compares decide.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppModule } from '../../app.module';
import type { AuthUser } from '../../auth/auth-user';
import { CategoriesService } from '../../categories/categories.service';
import { CATEGORY_LEAF_LEVEL } from '../../categories/categories.service';
import { Clock } from '../../common/clock';
import { WorkAfterAnswer } from '../../common/work-after-answer';
import { loadConfig } from '../../config/app-config';
import { createScratchMysqlDatabase, dropMysqlDatabase } from '../../database/cli/mysql-scratch';
import { UnitsService } from '../../units/units.service';
import { UserAccountsService } from '../../users/user-accounts.service';
import { WorkOrdersService } from '../../work-orders/work-orders.service';
import { RepeatDetector } from '../repeat-detector';
import { pairKey, precisionRecall, summaryLine, truePairs, type PrecisionRecall } from './pair-scores';
import { amplify, readDataset, titleOf, type DatasetOrder } from './repeat-dataset';

interface Places {
  centerId: number;
  districts: Map<string, number>;
  streets: Map<string, number>;
  categories: Map<string, number>;
}

async function createPlaces(app: INestApplicationContext, orders: readonly DatasetOrder[]): Promise<Places> {
  const units = app.get(UnitsService);
  const categories = app.get(CategoriesService);
  const center = await units.seedUnit({ code: 'EVAL', name: '评测中心', type: 'center', parentId: null, active: true, leaderSignOff: false });
  const places: Places = { centerId: center.id, districts: new Map(), streets: new Map(), categories: new Map() };
  for (const order of orders) {
    let districtId = places.districts.get(order.district);
    if (districtId === undefined) {
      const district = await units.seedUnit({ code: `D${places.districts.size + 1}`, name: order.district, type: 'district', parentId: center.id, active: true, leaderSignOff: false });
      districtId = district.id;
      places.districts.set(order.district, districtId);
    }
    const streetKey = `${order.district}/${order.street}`;
    if (!places.streets.has(streetKey)) {
      const street = await units.seedUnit({ code: `S${places.streets.size + 1}`, name: order.street, type: 'street', parentId: districtId, active: true, leaderSignOff: false });
      places.streets.set(streetKey, street.id);
    }
    // Registration takes leaves of a three-level tree: a shorter path repeats its last name, a longer one folds the rest into the leaf.
    const path = order.category.length >= CATEGORY_LEAF_LEVEL ? [...order.category.slice(0, CATEGORY_LEAF_LEVEL - 1), order.category.slice(CATEGORY_LEAF_LEVEL - 1).join('/')] : [...order.category, ...Array<string>(CATEGORY_LEAF_LEVEL - order.category.length).fill(order.category[order.category.length - 1])];
    let parentId: number | null = null;
    for (let level = 1; level <= path.length; level++) {
      const key = path.slice(0, level).join('/');
      let id = places.categories.get(key);
      if (id === undefined) {
        const category = await categories.seedCategory({ code: `C${places.categories.size + 1}`, name: path[level - 1].slice(0, 64), level, parentId, sortOrder: places.categories.size, defaultLeadUnitId: null, defaultRequestType: null, active: true });
        id = category.id;
        places.categories.set(key, id);
      }
      parentId = id;
    }
    places.categories.set(order.category.join('/'), parentId as number);
  }
  units.invalidate();
  return places;
}

async function createAgent(app: INestApplicationContext, centerId: number): Promise<AuthUser> {
  await app.get(UserAccountsService).insertMany([{ username: 'eval_agent', displayName: '评测话务员', role: 'agent', unitId: centerId, passwordHash: 'not-a-login' }]);
  const [row] = await app.get(DataSource).query<{ id: number }[]>('SELECT id FROM users WHERE username = ?', ['eval_agent']);
  return { id: Number(row.id), username: 'eval_agent', displayName: '评测话务员', role: 'agent', unitId: centerId, unitName: '评测中心' };
}

export interface EvaluationResult {
  repeats: PrecisionRecall;
  hotspots: PrecisionRecall;
  /** What the command prints, the summary line last. */
  lines: string[];
}

/** Registers the file's orders into a scratch database through the real registration service and scores the proposals. */
export async function evaluateFile(file: string, options: { mysqlServerUrl?: string; amplify?: number } = {}): Promise<EvaluationResult> {
  const read = readDataset(file);
  const orders = options.amplify ? amplify(read, options.amplify) : read;
  const directory = mkdtempSync(join(tmpdir(), 'jiesu-eval-repeat-'));
  const mysqlServer = options.mysqlServerUrl;
  const scratch = mysqlServer ? await createScratchMysqlDatabase(mysqlServer, 'jiesu_eval_repeat') : null;
  // The deadline scheduler has nothing to do here (it reads its settings from the environment).
  process.env.ESCALATION_TICK_SECONDS = '0';
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: scratch ? scratch.url : `sqlite:${join(directory, 'eval.sqlite')}`,
    ATTACHMENTS_DIR: join(directory, 'attachments'),
    DATA_DIR: join(directory, 'data'),
    SEED_DEMO_DATA: 'never',
    LOG_LEVEL: 'warn',
    REPEAT_WINDOW_DAYS: process.env.REPEAT_WINDOW_DAYS,
    HOTSPOT_WINDOW_DAYS: process.env.HOTSPOT_WINDOW_DAYS,
    HOTSPOT_MIN_ORDERS: process.env.HOTSPOT_MIN_ORDERS,
  });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ ...config, consoleDirectory: null }), { logger: ['error', 'warn'] });
  try {
    const places = await createPlaces(app, orders);
    const agent = await createAgent(app, places.centerId);
    const clock = app.get(Clock);
    const workOrders = app.get(WorkOrdersService);
    const detector = app.get(RepeatDetector);
    const datasetIdOf = new Map<number, DatasetOrder>();
    const proposedRepeats = new Set<string>();
    const proposedHotspots = new Set<string>();
    const started = Date.now();
    for (const order of orders) {
      clock.set(order.createdAt);
      const registered = await workOrders.register(agent, {
        channel: order.channel,
        requestType: order.requestType,
        citizenName: order.citizenName ?? undefined,
        citizenPhone: order.citizenPhone,
        address: order.address.slice(0, 255),
        districtUnitId: places.districts.get(order.district),
        streetUnitId: places.streets.get(`${order.district}/${order.street}`),
        categoryId: places.categories.get(order.category.join('/')) as number,
        title: titleOf(order.content),
        content: order.content,
      });
      datasetIdOf.set(registered.id, order);
      await app.get(WorkAfterAnswer).settled(); // screened after the answer (RepeatScreeningQueue)
      const matterId = await detector.matterOf(registered.id);
      if (matterId === null) throw new Error(`Work order ${registered.id} (${order.id}) was not recorded by the detector`);
      for (const member of await detector.members(matterId, null)) {
        const other = datasetIdOf.get(member.workOrderId);
        if (!other || other === order) continue;
        (other.citizenPhone === order.citizenPhone ? proposedRepeats : proposedHotspots).add(pairKey(other.id, order.id));
      }
    }
    const seconds = (Date.now() - started) / 1000;
    const truth = truePairs(orders);
    const repeats = precisionRecall(proposedRepeats, truth.repeats);
    const hotspots = precisionRecall(proposedHotspots, truth.hotspots);
    const matters = new Set(orders.map((o) => o.matterId)).size;
    return {
      repeats,
      hotspots,
      lines: [
        `${file}${options.amplify ? ` with ${options.amplify} more orders per matter from other callers (EVAL_AMPLIFY)` : ''}: ${orders.length} orders, ${matters} matters, ${places.districts.size} districts, ${places.streets.size} streets, ${places.categories.size} category nodes; registered in ${seconds.toFixed(1)} s on ${scratch ? 'MariaDB/MySQL' : 'SQLite'}`,
        `repeat pairs: ${repeats.correct} of ${repeats.proposed} proposed are right, ${repeats.truth} in the file`,
        `hotspot pairs: ${hotspots.correct} of ${hotspots.proposed} proposed are right, ${hotspots.truth} in the file`,
        summaryLine(repeats, hotspots),
      ],
    };
  } finally {
    await app.close();
    if (scratch && mysqlServer) await dropMysqlDatabase(mysqlServer, scratch.name);
    rmSync(directory, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const argument = process.argv[2];
  if (!argument) throw new Error('Usage: npm run eval:repeat -- <file.jsonl>');
  // npm runs the workspace's script in backend/: a relative path is the caller's (INIT_CWD).
  const file = isAbsolute(argument) ? argument : resolve(process.env.INIT_CWD ?? process.cwd(), argument);
  const amplifyBy = Number(process.env.EVAL_AMPLIFY ?? 0);
  if (!Number.isSafeInteger(amplifyBy) || amplifyBy < 0) throw new Error(`EVAL_AMPLIFY must be a whole number of orders per matter (0, 30…), not ${process.env.EVAL_AMPLIFY}`);
  const result = await evaluateFile(file, { mysqlServerUrl: process.env.EVAL_DATABASE_URL, amplify: amplifyBy });
  for (const line of result.lines) console.log(line);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
