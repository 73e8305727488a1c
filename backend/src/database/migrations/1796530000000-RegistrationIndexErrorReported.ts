import { MigrationInterface, QueryRunner } from 'typeorm';
import { REGISTER_WORK_ORDER_PROCEDURE, RegistrationInOneStatement1796500000000 } from './1796500000000-RegistrationInOneStatement';

/**
 * Hand-written (TypeORM has no DDL for routines); reviewed. MariaDB/MySQL only.
 *
 * `register_work_order` (migration RegistrationInOneStatement) again, with one change: when the Mroonga index row
 * cannot be written after COMMIT, the procedure answers why — `indexError`, the server's error number and message,
 * read with GET DIAGNOSTICS in the handler that catches it (before, the handler only set `indexed` = 0, and the
 * application's warning could not say what failed: about one registration in 6,000-10,000 under the intake benchmark's
 * load was left to the catch-up sweep for no known reason). Everything else is as before, statement for statement.
 * `down` restores the previous definition.
 */
export class RegistrationIndexErrorReported1796530000000 implements MigrationInterface {
  name = 'RegistrationIndexErrorReported1796530000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'better-sqlite3') return;
    await queryRunner.query(`DROP PROCEDURE IF EXISTS \`${REGISTER_WORK_ORDER_PROCEDURE}\``);
    await queryRunner.query(`CREATE PROCEDURE \`${REGISTER_WORK_ORDER_PROCEDURE}\`(
      IN p_insert_order MEDIUMTEXT CHARACTER SET utf8mb4,
      IN p_day VARCHAR(8), IN p_digits INT, IN p_at DATETIME(3),
      IN p_actor_id INT, IN p_actor_name VARCHAR(64) CHARACTER SET utf8mb4, IN p_actor_role VARCHAR(16) CHARACTER SET utf8mb4,
      IN p_unit_id INT, IN p_unit_name VARCHAR(100) CHARACTER SET utf8mb4, IN p_payload TEXT CHARACTER SET utf8mb4,
      IN p_screening_queued_at DATETIME(3),
      IN p_search_title VARCHAR(200) CHARACTER SET utf8mb4, IN p_search_body_after_number MEDIUMTEXT CHARACTER SET utf8mb4)
      MODIFIES SQL DATA SQL SECURITY INVOKER
    BEGIN
      DECLARE v_order_id INT;
      DECLARE v_event_id INT;
      DECLARE v_sequence INT;
      DECLARE v_number VARCHAR(16);
      DECLARE v_previous DATETIME(3);
      DECLARE v_at DATETIME(3);
      DECLARE v_indexed BOOLEAN DEFAULT FALSE;
      DECLARE v_index_errno INT DEFAULT NULL;
      DECLARE v_index_error VARCHAR(512) CHARACTER SET utf8mb4 DEFAULT NULL;
      DECLARE EXIT HANDLER FOR SQLEXCEPTION
      BEGIN
        ROLLBACK;
        SET @jiesu_register_number = NULL, @jiesu_register_at = NULL, @jiesu_register_order = NULL;
        RESIGNAL;
      END;
      START TRANSACTION;
      INSERT INTO \`daily_sequences\` (\`day\`, \`lastValue\`) VALUES (p_day, 1) ON DUPLICATE KEY UPDATE \`lastValue\` = \`lastValue\` + 1;
      SELECT \`lastValue\` INTO v_sequence FROM \`daily_sequences\` WHERE \`day\` = p_day FOR UPDATE;
      SET v_number = CONCAT(p_day, LPAD(v_sequence, GREATEST(p_digits, CHAR_LENGTH(v_sequence)), '0'));
      SET v_at = p_at;
      IF v_sequence > 1 THEN
        SELECT MAX(\`createdAt\`) INTO v_previous FROM \`work_orders\`
         WHERE \`number\` = CONCAT(p_day, LPAD(v_sequence - 1, GREATEST(p_digits, CHAR_LENGTH(v_sequence - 1)), '0')) LOCK IN SHARE MODE;
        IF v_previous > p_at THEN
          SET v_at = v_previous;
        END IF;
      END IF;
      SET @jiesu_register_number = v_number, @jiesu_register_at = v_at, @jiesu_register_order = p_insert_order;
      PREPARE jiesu_register_order FROM @jiesu_register_order;
      EXECUTE jiesu_register_order;
      DEALLOCATE PREPARE jiesu_register_order;
      SET @jiesu_register_number = NULL, @jiesu_register_at = NULL, @jiesu_register_order = NULL;
      SET v_order_id = LAST_INSERT_ID();
      INSERT INTO \`work_order_events\` (\`workOrderId\`, \`action\`, \`fromStatus\`, \`toStatus\`, \`actorId\`, \`actorName\`, \`actorRole\`, \`unitId\`, \`unitName\`, \`reason\`, \`payload\`, \`createdAt\`)
        VALUES (v_order_id, 'register', NULL, 'registered', p_actor_id, p_actor_name, p_actor_role, p_unit_id, p_unit_name, NULL, p_payload, v_at);
      SET v_event_id = LAST_INSERT_ID();
      IF p_search_title IS NOT NULL THEN
        INSERT IGNORE INTO \`work_order_search_pending\` (\`workOrderId\`) VALUES (v_order_id);
      END IF;
      IF p_screening_queued_at IS NOT NULL THEN
        INSERT INTO \`repeat_screening_pending\` (\`workOrderId\`, \`queuedAt\`, \`claimedAt\`) VALUES (v_order_id, p_screening_queued_at, NULL);
      END IF;
      COMMIT;
      IF p_search_title IS NOT NULL THEN
        BEGIN
          DECLARE CONTINUE HANDLER FOR SQLEXCEPTION
          BEGIN
            GET DIAGNOSTICS CONDITION 1 v_index_errno = MYSQL_ERRNO, v_index_error = MESSAGE_TEXT;
            SET v_indexed = FALSE;
          END;
          SET v_indexed = TRUE;
          INSERT INTO \`work_order_search\` (\`id\`, \`title\`, \`body\`) VALUES (v_order_id, p_search_title, CONCAT(v_number, p_search_body_after_number))
            ON DUPLICATE KEY UPDATE \`title\` = VALUES(\`title\`), \`body\` = VALUES(\`body\`);
        END;
      END IF;
      SELECT v_order_id AS \`id\`, v_number AS \`number\`, TIMESTAMPDIFF(MICROSECOND, p_at, v_at) AS \`raisedByMicroseconds\`,
             v_event_id AS \`eventId\`, v_indexed AS \`indexed\`,
             IF(v_indexed, NULL, CONCAT(v_index_errno, ' ', v_index_error)) AS \`indexError\`;
    END`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'better-sqlite3') return;
    await queryRunner.query(`DROP PROCEDURE IF EXISTS \`${REGISTER_WORK_ORDER_PROCEDURE}\``);
    await new RegistrationInOneStatement1796500000000().up(queryRunner);
  }
}
