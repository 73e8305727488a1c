import { BadRequestException, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/decorators';
import { ApiErrorResponses } from '../common/api-error-responses';
import { ListNotificationsQueryDto } from './dto/list-notifications.dto';
import { NotificationListResponse, NotificationResponse, ReadAllNotificationsResponse } from './dto/notification.response';
import { NotificationsService } from './notifications.service';

const id = new ParseIntPipe({ exceptionFactory: () => new BadRequestException('The notification id must be a whole number') });

/** The caller's own notifications (the bell). Any logged-in user; nobody sees or reads another user's. */
@ApiTags('notifications')
@ApiBearerAuth()
@ApiErrorResponses(401)
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'The caller’s notifications, newest first, with the unread count; page on with `cursor` = `nextCursor`' })
  @ApiOkResponse({ type: NotificationListResponse })
  @ApiErrorResponses(400)
  list(@CurrentUser() user: AuthUser, @Query() query: ListNotificationsQueryDto) {
    return this.notifications.list(user.id, { unreadOnly: query.unreadOnly, cursor: query.cursor ?? null, limit: query.limit });
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark every unread notification of the caller read' })
  @ApiOkResponse({ type: ReadAllNotificationsResponse })
  @ApiErrorResponses(409)
  readAll(@CurrentUser() user: AuthUser) {
    return this.notifications.markAllRead(user.id);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of the caller’s notifications read (reading it again keeps the first time)' })
  @ApiOkResponse({ type: NotificationResponse })
  @ApiErrorResponses(400, 404, 409)
  read(@CurrentUser() user: AuthUser, @Param('id', id) notificationId: number) {
    return this.notifications.markRead(user.id, notificationId);
  }
}
