import { Injectable } from '@nestjs/common';
import { WorkingCalendarService } from '../../calendar/working-calendar.service';
import { CHANNELS, REQUEST_TYPES } from '../../work-orders/work-order.enums';
import { periodInstants, type ReportPeriod } from '../report-period';
import type { ReportScope } from '../report-scope';
import type { VolumeSummary } from '../report-views';
import { VolumeRepository } from './volume.repository';

/**
 * The intake of a period (受理量): orders registered in it, by channel and by request type — every value listed, zeros
 * included (the bulletin's volume charts). A unit's scope counts the orders its subtree leads.
 */
@Injectable()
export class VolumeService {
  constructor(
    private readonly repository: VolumeRepository,
    private readonly calendars: WorkingCalendarService,
  ) {}

  async summary(period: ReportPeriod, scope: ReportScope): Promise<VolumeSummary> {
    const { start, end } = periodInstants(period, (await this.calendars.current()).timeZone);
    const [byChannel, byRequestType] = await Promise.all([
      this.repository.registeredBy('channel', CHANNELS, start, end, scope),
      this.repository.registeredBy('requestType', REQUEST_TYPES, start, end, scope),
    ]);
    const channels = CHANNELS.map((channel) => ({ channel, count: byChannel.get(channel) ?? 0 }));
    return {
      period,
      // Every order has one of the channels: the total is their sum (and the request types' sum alike).
      total: channels.reduce((sum, row) => sum + row.count, 0),
      byChannel: channels,
      byRequestType: REQUEST_TYPES.map((requestType) => ({ requestType, count: byRequestType.get(requestType) ?? 0 })),
    };
  }
}
