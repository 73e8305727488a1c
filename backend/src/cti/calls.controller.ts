import { BadRequestException, Body, Controller, Get, Headers, HttpCode, HttpException, HttpStatus, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { parseByteRange } from './byte-range';
import { CallsService } from './calls.service';
import { CALL_STAFF_ROLES } from './cti.enums';
import { CallBackListQueryDto, LinkWorkOrderDto, ListCallsQueryDto } from './dto/calls-query.dto';
import { CallAgentResponse, CallDetailResponse, CallPageResponse, ScreenPopResponse } from './dto/cti.response';
import { RecordingsService } from './recordings.service';

const callRecordId = new ParseIntPipe({ exceptionFactory: () => new BadRequestException('The call record id must be a whole number') });

/** 话务记录: call records for the center's staff (units never see calls), recordings, the call-back list (docs/cti.md). */
@ApiTags('calls')
@ApiBearerAuth()
@ApiErrorResponses(401, 403)
@Roles(...CALL_STAFF_ROLES)
@Controller('calls')
export class CallsController {
  constructor(
    private readonly calls: CallsService,
    private readonly recordings: RecordingsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Call records, the latest start first; filters: a period of the start, the answering agent, the status, a number (from or to)' })
  @ApiOkResponse({ type: CallPageResponse })
  @ApiErrorResponses(400, 503)
  list(@Query() query: ListCallsQueryDto) {
    return this.calls.list(query);
  }

  @Get('missed')
  @ApiOperation({ summary: '回拨 list: inbound calls that ended missed or abandoned and nobody called back yet, the latest first' })
  @ApiOkResponse({ type: CallPageResponse })
  @ApiErrorResponses(400, 503)
  callBackList(@Query() query: CallBackListQueryDto) {
    return this.calls.callBackList(query);
  }

  // Before ':id', which would take "agents" for a record id.
  @Get('agents')
  @ApiOperation({ summary: 'The active accounts that answer calls (role agent), by name: the call list’s agent filter' })
  @ApiOkResponse({ type: [CallAgentResponse] })
  agents() {
    return this.calls.callAgents();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One call: times, durations, status, recording, linked work orders, survey' })
  @ApiOkResponse({ type: CallDetailResponse })
  @ApiErrorResponses(400, 404)
  detail(@Param('id', callRecordId) id: number) {
    return this.calls.detail(id);
  }

  @Get(':id/screen-pop')
  @ApiOperation({
    summary: '弹屏 again: the screen pop of a call offered to the caller (ringing) or answered by them, for a console (re)loaded meanwhile',
    description: 'The payload of the cti.screenPop push, read now: the caller’s earlier orders and likely repeats. 403 for anyone else.',
  })
  @ApiOkResponse({ type: ScreenPopResponse })
  @ApiErrorResponses(400, 404)
  screenPop(@CurrentUser() caller: AuthUser, @Param('id', callRecordId) id: number) {
    return this.calls.screenPop(caller, id);
  }

  @Get(':id/recording')
  @ApiOperation({
    summary: 'The call’s recording (audio/wav). Supports a single HTTP Range (206 Partial Content), so an <audio> element can seek',
    description: 'Without Range: 200 and the whole file. A range past the end: 416.',
  })
  @ApiOkResponse({
    description: 'The WAV file (or with Range, 206 and the part asked for)',
    content: { 'audio/wav': { schema: { type: 'string', format: 'binary' } } },
    headers: { 'Accept-Ranges': { schema: { type: 'string', example: 'bytes' } }, 'Content-Length': { schema: { type: 'integer' } } },
  })
  @ApiErrorResponses(400, 404)
  async recording(@Param('id', callRecordId) id: number, @Headers('range') rangeHeader: string | undefined, @Res() response: Response): Promise<void> {
    const file = await this.recordings.open(id);
    const range = parseByteRange(rangeHeader, file.bytes);
    if (range === 'unsatisfiable') {
      response.setHeader('Content-Range', `bytes */${file.bytes}`);
      throw new HttpException(`The recording has ${file.bytes} bytes: the range ${rangeHeader ?? ''} lies beyond its end`, HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
    }
    response.setHeader('Content-Type', 'audio/wav');
    response.setHeader('Accept-Ranges', 'bytes');
    response.setHeader('Content-Disposition', `inline; filename="${file.fileName}"`);
    response.setHeader('Cache-Control', 'private, no-cache');
    if (range) {
      response.status(HttpStatus.PARTIAL_CONTENT);
      response.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${file.bytes}`);
      response.setHeader('Content-Length', String(range.end - range.start + 1));
    } else {
      response.status(HttpStatus.OK);
      response.setHeader('Content-Length', String(file.bytes));
    }
    await pipeline(createReadStream(file.path, range ? { start: range.start, end: range.end } : {}), response);
  }

  @Post(':id/called-back')
  @HttpCode(200)
  @ApiOperation({ summary: '回拨: mark a missed or abandoned call as called back (it leaves the call-back list); 409 for another status or when already done' })
  @ApiOkResponse({ type: CallDetailResponse })
  @ApiErrorResponses(400, 404, 409)
  calledBack(@CurrentUser() caller: AuthUser, @Param('id', callRecordId) id: number) {
    return this.calls.markCalledBack(caller, id);
  }

  @Post(':id/work-orders')
  @HttpCode(200)
  @ApiOperation({ summary: 'Link a work order registered during the call (404 for an unknown call or order, 409 when already linked)' })
  @ApiOkResponse({ type: CallDetailResponse })
  @ApiErrorResponses(400, 404, 409)
  linkWorkOrder(@CurrentUser() caller: AuthUser, @Param('id', callRecordId) id: number, @Body() dto: LinkWorkOrderDto) {
    return this.calls.linkWorkOrder(caller, id, dto.workOrderId);
  }
}
