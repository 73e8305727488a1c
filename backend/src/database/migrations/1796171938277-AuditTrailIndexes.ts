import { MigrationInterface, QueryRunner } from 'typeorm';

/** Written by hand in the generator's form on 2026-12-02 (the build was broken by others' work in progress); reviewed.
 * The audit trail's reader indexes: (at, id) for the newest-first keyset paging and the retention purge (it replaces
 * the index on at alone), (actorId, at) and (targetType, targetId, at) for the auditor's filters. */
export class AuditTrailIndexes1796171938277 implements MigrationInterface {
  name = 'AuditTrailIndexes1796171938277';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'mysql' || queryRunner.connection.options.type === 'mariadb') {
      await queryRunner.query("DROP INDEX `IDX_audit_events_at` ON `audit_events`");
      await queryRunner.query("CREATE INDEX `IDX_audit_events_at_id` ON `audit_events` (`at`, `id`)");
      await queryRunner.query("CREATE INDEX `IDX_audit_events_actor_at` ON `audit_events` (`actorId`, `at`)");
      await queryRunner.query("CREATE INDEX `IDX_audit_events_target_at` ON `audit_events` (`targetType`, `targetId`, `at`)");
    } else {
      await queryRunner.query("DROP INDEX \"IDX_audit_events_at\"");
      await queryRunner.query("CREATE INDEX \"IDX_audit_events_at_id\" ON \"audit_events\" (\"at\", \"id\") ");
      await queryRunner.query("CREATE INDEX \"IDX_audit_events_actor_at\" ON \"audit_events\" (\"actorId\", \"at\") ");
      await queryRunner.query("CREATE INDEX \"IDX_audit_events_target_at\" ON \"audit_events\" (\"targetType\", \"targetId\", \"at\") ");
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'mysql' || queryRunner.connection.options.type === 'mariadb') {
      await queryRunner.query("DROP INDEX `IDX_audit_events_target_at` ON `audit_events`");
      await queryRunner.query("DROP INDEX `IDX_audit_events_actor_at` ON `audit_events`");
      await queryRunner.query("DROP INDEX `IDX_audit_events_at_id` ON `audit_events`");
      await queryRunner.query("CREATE INDEX `IDX_audit_events_at` ON `audit_events` (`at`)");
    } else {
      await queryRunner.query("DROP INDEX \"IDX_audit_events_target_at\"");
      await queryRunner.query("DROP INDEX \"IDX_audit_events_actor_at\"");
      await queryRunner.query("DROP INDEX \"IDX_audit_events_at_id\"");
      await queryRunner.query("CREATE INDEX \"IDX_audit_events_at\" ON \"audit_events\" (\"at\") ");
    }
  }
}
