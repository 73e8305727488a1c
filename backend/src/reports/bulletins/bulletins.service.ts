import { BadRequestException, ConflictException, Inject, Injectable, Logger, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { AuthUser } from '../../auth/auth-user';
import { parseLocalDate } from '../../calendar/local-date';
import { TimeZone } from '../../calendar/time-zone';
import { Clock } from '../../common/clock';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { BulletinPdfService } from '../export/pdf/bulletin-pdf.service';
import { CjkFontMissingError } from '../export/pdf/cjk-font';
import { localDateOf, monthPeriod, ReportPeriodError } from '../report-period';
import type { ReportScope } from '../report-scope';
import type { BulletinView } from '../report-views';
import type { Bulletin } from './bulletin.entity';
import { BulletinsRepository, type BulletinClaim } from './bulletins.repository';

/** A `generating` claim older than this is taken to be dead (its instance crashed) and may be taken over. */
export const STALE_CLAIM_MS = 15 * 60_000;

/** The bulletin covers the whole center (a unit's subtree is in the reports themselves). */
const WHOLE_CENTER: ReportScope = { unitId: null, unitIds: null };

export interface GenerationOutcome {
  bulletin: Bulletin;
  /** This call generated it (claimed it and rendered, successfully or not); false: another claim holds or held it. */
  generated: boolean;
}

/**
 * 月通报 storage: generates a month's bulletin exactly once across instances (the unique month decides who; a failed
 * or stale claim is taken over by one conditional UPDATE), writes the PDF under REPORTS_DIR atomically, lists and
 * serves them. docs/bulletin.md.
 */
@Injectable()
export class BulletinsService {
  private readonly logger = new Logger(BulletinsService.name);
  private readonly instance = `${hostname()}:${process.pid}`;
  private readonly zone: TimeZone;

  constructor(
    private readonly bulletins: BulletinsRepository,
    private readonly pdf: BulletinPdfService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.zone = new TimeZone(config.centerTimeZone);
  }

  /**
   * Generates the month's bulletin unless another claim holds it: the winner renders, stores and marks it ready
   * (or failed, and the error is thrown on); a loser gets the row as it is.
   */
  async generateMonth(month: string, trigger: Bulletin['trigger'], requestedById: number | null = null): Promise<GenerationOutcome> {
    const period = monthPeriod(month);
    const claim: BulletinClaim = { claimedAt: this.clock.now(), claimedBy: this.instance, trigger, requestedById };
    const claimed = await this.claim(month, claim);
    if (!claimed.won) return { bulletin: claimed.row, generated: false };
    const row = claimed.row;
    try {
      const pdf = await this.pdf.render(period, WHOLE_CENTER);
      const sha256 = createHash('sha256').update(pdf).digest('hex');
      // Named by content: an instance fenced out after a take-over never overwrites the file the row points to.
      const fileName = `bulletin-${month}-${sha256.slice(0, 12)}.pdf`;
      await this.writeAtomically(fileName, pdf);
      const recorded = await this.bulletins.markReady(row.id, claim, { fileName, sizeBytes: pdf.length, sha256, generatedAt: this.clock.now() });
      const current = await this.requireRow(row.id);
      if (!recorded) {
        this.logger.warn(`The bulletin of ${month} was taken over while ${this.instance} rendered it; its file is dropped`);
        if (current.fileName !== fileName) await rm(this.pathOf(fileName), { force: true });
        return { bulletin: current, generated: false };
      }
      this.logger.log(`Bulletin of ${month} generated (${trigger}, ${pdf.length} bytes)`);
      return { bulletin: current, generated: true };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.bulletins.markFailed(row.id, claim, message);
      this.logger.error(`Generating the bulletin of ${month} failed: ${message}`);
      throw error;
    }
  }

  /** POST /api/reports/bulletins: a supervisor generates a month that is over, now. */
  async generateNow(caller: AuthUser, month: string): Promise<BulletinView> {
    this.requireFinishedMonth(month);
    let outcome: GenerationOutcome;
    try {
      outcome = await this.generateMonth(month, 'manual', caller.id);
    } catch (error) {
      if (error instanceof CjkFontMissingError) throw new ServiceUnavailableException(error.message);
      throw error;
    }
    if (!outcome.generated) {
      const state = outcome.bulletin.status === 'ready' ? 'is already generated' : 'is being generated right now';
      throw new ConflictException(`The bulletin of ${month} ${state}${outcome.bulletin.status === 'ready' ? '' : ' (try again in a few minutes)'}`);
    }
    return this.view(outcome.bulletin);
  }

  async list(): Promise<BulletinView[]> {
    return (await this.bulletins.listNewestFirst()).map((row) => this.view(row));
  }

  /** The PDF of a ready bulletin, for the download. */
  async open(id: number): Promise<{ fileName: string; sizeBytes: number; stream: ReadStream; month: string }> {
    const row = await this.bulletins.findById(id);
    if (!row) throw new NotFoundException(`Bulletin ${id} not found`);
    if (row.status !== 'ready' || !row.fileName) {
      throw new ConflictException(`The bulletin of ${row.month} is not ready (${row.status === 'failed' ? `generating it failed: ${row.error ?? 'unknown error'}` : 'it is being generated'})`);
    }
    const path = this.pathOf(row.fileName);
    const size = await stat(path).then(
      (info) => info.size,
      () => null,
    );
    if (size === null) throw new NotFoundException(`The file of the bulletin of ${row.month} is missing from the reports directory (REPORTS_DIR)`);
    return { fileName: row.fileName, sizeBytes: size, stream: createReadStream(path), month: row.month };
  }

  view(row: Bulletin): BulletinView {
    const ready = row.status === 'ready';
    return {
      id: row.id,
      month: row.month,
      status: row.status,
      trigger: row.trigger,
      generatedAt: row.generatedAt ? row.generatedAt.toISOString() : null,
      sizeBytes: row.sizeBytes,
      downloadUrl: ready ? `/api/reports/bulletins/${row.id}/download` : null,
      error: row.error,
    };
  }

  /**
   * Wins the month: by INSERT, or by taking over a failed row or one whose claim is older than STALE_CLAIM_MS.
   * Otherwise (ready, or generating under a live claim, or another instance took it over first) the row as it is.
   */
  private async claim(month: string, claim: BulletinClaim): Promise<{ won: boolean; row: Bulletin }> {
    // Read first, so the usual case (the month exists) does not make the database log a refused INSERT.
    let existing = await this.bulletins.findByMonth(month);
    if (!existing) {
      const inserted = await this.bulletins.insertClaim(month, claim);
      if (inserted) return { won: true, row: inserted };
      existing = await this.bulletins.findByMonth(month);
      if (!existing) throw new Error(`The bulletin of ${month} was refused as a duplicate but cannot be read back`);
    }
    const stale = existing.status === 'generating' && claim.claimedAt.getTime() - existing.claimedAt.getTime() > STALE_CLAIM_MS;
    if (existing.status !== 'failed' && !stale) return { won: false, row: existing };
    const tookOver = await this.bulletins.takeOver(existing, claim);
    if (tookOver && stale) this.logger.warn(`Took over the bulletin of ${month} from ${existing.claimedBy} (claimed ${existing.claimedAt.toISOString()})`);
    return { won: tookOver, row: await this.requireRow(existing.id) };
  }

  private requireFinishedMonth(month: string): void {
    let lastDay: string;
    try {
      lastDay = monthPeriod(month).to;
    } catch (error) {
      if (error instanceof ReportPeriodError) throw new BadRequestException(error.message);
      throw error;
    }
    const today = localDateOf(this.clock.now(), this.zone);
    if (parseLocalDate(lastDay) >= parseLocalDate(today)) throw new BadRequestException(`${month} is not over yet (today is ${today}): a bulletin covers a whole past month`);
  }

  private async requireRow(id: number): Promise<Bulletin> {
    const row = await this.bulletins.findById(id);
    if (!row) throw new Error(`Bulletin ${id} disappeared`);
    return row;
  }

  private pathOf(fileName: string): string {
    return join(resolve(this.config.reports.directory), fileName);
  }

  /** A temporary file renamed into place: a reader (another node on shared storage) never sees half a PDF. */
  private async writeAtomically(fileName: string, content: Buffer): Promise<void> {
    const directory = resolve(this.config.reports.directory);
    await mkdir(directory, { recursive: true });
    const temporary = join(directory, `.${fileName}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await writeFile(temporary, content, { flag: 'wx' });
      await rename(temporary, join(directory, fileName));
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}
