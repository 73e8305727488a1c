import { MigrationInterface, QueryRunner } from 'typeorm';

export const REGISTER_WORK_ORDER_PROCEDURE = 'register_work_order';

/**
 * Hand-written (TypeORM has no DDL for routines); reviewed. MariaDB/MySQL only.
 *
 * Issue 8 (intake): a registration without attachments on MariaDB becomes one statement. Before, it was START, the
 * order's INSERT (with a provisional number), the `complete_registration` CALL (which drew the number, updated the
 * order with it and committed), the application's COMMIT (nothing left) and the Mroonga index row: five round trips,
 * each costing the application, the kernel and the server about as much CPU as the work it carries. This procedure
 * does the same in one, and writes each row once:
 *  1. START TRANSACTION, and the day's next number drawn, with the time raised to the previous number's when that is
 *     later (as in `complete_registration`, migration RegistrationInOneCall: numbers and times sort alike);
 *  2. the order's INSERT — given as the statement's text (`p_insert_order`, built by the application from the entity's
 *     columns and escaped by the driver exactly as it escapes any statement, so the procedure never restates the
 *     orders table's columns and a column added later needs no new procedure), whose number and times are the
 *     session variables `@jiesu_register_number` and `@jiesu_register_at` set here: the row is inserted complete and
 *     never updated (no provisional number, no second write of its indexes);
 *  3. the first timeline event (`register`, at the order's time), the search outbox row (when `p_search_title` is
 *     given) and the repeat screening queue row (when `p_screening_queued_at` is), then COMMIT. The sequence row is
 *     locked from the draw to COMMIT: a few inserts on the server, no round trip in between;
 *  4. after COMMIT, the Mroonga index row (`work_order_search`: the title, and the number followed by
 *     `p_search_body_after_number`, as MroongaWorkOrderSearch writes it). Storage-mode Mroonga is not transactional,
 *     hence after COMMIT, as before; an error there is caught (`indexed` = 0) and leaves the outbox row for the
 *     catch-up sweep, never an error for a committed order.
 * It answers the order's id, its number, how many microseconds the time was raised by (0 nearly always), the event's
 * id and whether the index row was written. Any error before COMMIT rolls everything back and is raised again as it
 * was (a deadlock's 1213 too: the application runs the CALL again). Only outside a transaction of the caller's.
 * The text parameters are utf8mb4 whatever the database's default. SQL SECURITY INVOKER: the application's own rights.
 */
export class RegistrationInOneStatement1796500000000 implements MigrationInterface {
  name = 'RegistrationInOneStatement1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'better-sqlite3') return;
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
          DECLARE CONTINUE HANDLER FOR SQLEXCEPTION SET v_indexed = FALSE;
          SET v_indexed = TRUE;
          INSERT INTO \`work_order_search\` (\`id\`, \`title\`, \`body\`) VALUES (v_order_id, p_search_title, CONCAT(v_number, p_search_body_after_number))
            ON DUPLICATE KEY UPDATE \`title\` = VALUES(\`title\`), \`body\` = VALUES(\`body\`);
        END;
      END IF;
      SELECT v_order_id AS \`id\`, v_number AS \`number\`, TIMESTAMPDIFF(MICROSECOND, p_at, v_at) AS \`raisedByMicroseconds\`,
             v_event_id AS \`eventId\`, v_indexed AS \`indexed\`;
    END`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'better-sqlite3') return;
    await queryRunner.query(`DROP PROCEDURE IF EXISTS \`${REGISTER_WORK_ORDER_PROCEDURE}\``);
  }
}
