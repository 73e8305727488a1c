import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Param, type PipeTransform, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Request } from 'express';
import { Public } from '../auth/decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { AcdService } from './acd.service';
import { AgentPhonesService } from './agent-phones.service';
import { CallEventsService } from './call-events.service';
import { MAX_CALL_ID_LENGTH } from './cti.enums';
import { CtiTokenGuard } from './cti-token.guard';
import { CtiEventDto } from './dto/cti-event.dto';
import { CallDetailResponse, CtiEventResponse, RegistrarCredentialsResponse, RouteResponse } from './dto/cti.response';
import { RecordingsService } from './recordings.service';

/** A Call-ID in the path: what CtiEventDto accepts as callId. */
const callIdParam: PipeTransform<string, string> = {
  transform(value: string) {
    if (value.length === 0 || value.length > MAX_CALL_ID_LENGTH || !/^[\x21-\x7e]+$/.test(value)) {
      throw new BadRequestException(`The call id must be 1 to ${MAX_CALL_ID_LENGTH} printable ASCII characters without spaces (percent-encode it in the path)`);
    }
    return value;
  },
};

/**
 * 话务接口 (docs/cti.md): what the SIP bridge or a PBX calls — events, recordings, the ACD's routing, the registrar's
 * credentials. Not behind the login: authenticated by the CTI token (CtiTokenGuard). Not rate-limited per address
 * either: one bridge sends every call's events from one address (a wrong token is still answered 401 each time).
 */
@ApiTags('cti')
@ApiHeader({ name: 'X-CTI-Token', required: false, description: 'The CTI token (CTI_TOKEN); or send it as Authorization: Bearer <token>' })
@ApiErrorResponses(401, 503)
@ApiSecurity('cti-token')
@Public()
// 'api' is the whole-API throttler (auth/throttling/rate-limits.ts THROTTLERS.api); the login ones never apply here.
@SkipThrottle({ api: true })
@UseGuards(CtiTokenGuard)
@Controller('cti')
export class CtiBridgeController {
  constructor(
    private readonly events: CallEventsService,
    private readonly acd: AcdService,
    private readonly recordings: RecordingsService,
    private readonly phones: AgentPhonesService,
  ) {}

  @Post('events')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A call event: newCall, queued, answer, hangup or survey. Each (callId, event) counts once: a repeat answers duplicate: true and changes nothing',
    description: 'Times come from `at` (when it happened at the source), so events replayed later or out of order give the same record.',
  })
  @ApiOkResponse({ type: CtiEventResponse })
  @ApiErrorResponses(400)
  accept(@Body() dto: CtiEventDto) {
    return this.events.accept(dto);
  }

  @Post('calls/:callId/recording')
  @HttpCode(200)
  @ApiConsumes('audio/wav')
  @ApiBody({ description: 'The WAV file as the raw body (8 kHz PCM16 or G.711); at most CTI_RECORDING_MAX_BYTES', schema: { type: 'string', format: 'binary' } })
  @ApiOperation({ summary: 'Upload the recording of a call (replaces an earlier upload of the same call)' })
  @ApiOkResponse({ type: CallDetailResponse })
  @ApiErrorResponses(400, 413, 415)
  uploadRecording(@Param('callId', callIdParam) callId: string, @Req() request: Request, @Headers('content-length') contentLength: string | undefined) {
    const declared = contentLength !== undefined && /^\d+$/.test(contentLength) ? Number(contentLength) : null;
    return this.recordings.store(callId, request, declared);
  }

  @Post('calls/:callId/route')
  @HttpCode(200)
  @ApiOperation({
    summary: 'ACD: offer the call to the ready agent idle the longest (now ringing, with a screen pop); 409 with details.queued = true when nobody is ready',
    description: 'Asked again while the call rings at an agent, answers that agent again. 409 without queued when the call has ended or was answered.',
  })
  @ApiOkResponse({ type: RouteResponse })
  @ApiErrorResponses(400, 409)
  route(@Param('callId', callIdParam) callId: string) {
    return this.acd.route(callId);
  }

  @Post('calls/:callId/no-answer')
  @HttpCode(200)
  @ApiOperation({ summary: 'ACD: the agent offered the call did not answer in time — set away; the next ready agent is offered it (or 409 queued)' })
  @ApiOkResponse({ type: RouteResponse })
  @ApiErrorResponses(400, 409)
  noAnswer(@Param('callId', callIdParam) callId: string) {
    return this.acd.noAnswer(callId);
  }

  @Get('registrar/credentials/:extension')
  @ApiOperation({ summary: 'For the bridge’s registrar: the HA1 (MD5 of extension:realm:password) and realm of an agent’s extension' })
  @ApiOkResponse({ type: RegistrarCredentialsResponse })
  @ApiErrorResponses(400, 404)
  credentials(@Param('extension') extension: string) {
    return this.phones.credentials(extension);
  }
}
