import { MigrationInterface, QueryRunner } from 'typeorm';

export const RECORD_MATTER_PROCEDURE = 'record_matter';

/**
 * Hand-written (TypeORM has no DDL for routines); reviewed. MariaDB/MySQL only.
 *
 * Issue 8 (intake with the repeat detector): recording a screened order in the detector's index was two statements,
 * each committed on its own — the fingerprint's INSERT and its keys' INSERT IGNORE (MatterIndexRepository.save, now saveAndGlance). This
 * procedure runs both in one transaction in one round trip: the two statements are given as text (built by the
 * application from the entities' columns and escaped by the driver exactly as it escapes any statement, as
 * `register_work_order` takes the order's INSERT), so a column added later needs no new procedure. A fingerprint is
 * then never stored without its keys (the screening takes an order with a fingerprint for recorded). Any error rolls
 * both back and is raised again as it was. After COMMIT, when `p_then_select` is given, that SELECT (as text, like the
 * INSERTs) answers its result set: the glance at the order's matter that recording reads next (MatterIndexRepository.saveAndGlance), in the
 * same round trip. Only outside a transaction of the caller's. SQL SECURITY INVOKER: the application's own rights.
 */
export class MatterRecordedInOneCall1796700000000 implements MigrationInterface {
  name = 'MatterRecordedInOneCall1796700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'better-sqlite3') return;
    await queryRunner.query(`CREATE PROCEDURE \`${RECORD_MATTER_PROCEDURE}\`(
      IN p_insert_fingerprint MEDIUMTEXT CHARACTER SET utf8mb4,
      IN p_insert_keys MEDIUMTEXT CHARACTER SET utf8mb4,
      IN p_then_select MEDIUMTEXT CHARACTER SET utf8mb4
    )
    MODIFIES SQL DATA
    SQL SECURITY INVOKER
    BEGIN
      DECLARE EXIT HANDLER FOR SQLEXCEPTION
      BEGIN
        ROLLBACK;
        SET @jiesu_record_matter = NULL;
        RESIGNAL;
      END;
      START TRANSACTION;
      SET @jiesu_record_matter = p_insert_fingerprint;
      PREPARE jiesu_record_matter FROM @jiesu_record_matter;
      EXECUTE jiesu_record_matter;
      DEALLOCATE PREPARE jiesu_record_matter;
      SET @jiesu_record_matter = p_insert_keys;
      PREPARE jiesu_record_matter FROM @jiesu_record_matter;
      EXECUTE jiesu_record_matter;
      DEALLOCATE PREPARE jiesu_record_matter;
      COMMIT;
      IF p_then_select IS NOT NULL THEN
        SET @jiesu_record_matter = p_then_select;
        PREPARE jiesu_record_matter FROM @jiesu_record_matter;
        EXECUTE jiesu_record_matter;
        DEALLOCATE PREPARE jiesu_record_matter;
      END IF;
      SET @jiesu_record_matter = NULL;
    END`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'better-sqlite3') return;
    await queryRunner.query(`DROP PROCEDURE IF EXISTS \`${RECORD_MATTER_PROCEDURE}\``);
  }
}
