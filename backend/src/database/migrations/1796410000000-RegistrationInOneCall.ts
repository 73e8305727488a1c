import { MigrationInterface, QueryRunner } from 'typeorm';
import { REGISTRATION_NUMBER_PROCEDURE, RegistrationNumberProcedure1796191400000 } from './1796191400000-RegistrationNumberProcedure';

export const COMPLETE_REGISTRATION_PROCEDURE = 'complete_registration';

/**
 * Hand-written (TypeORM has no DDL for routines); reviewed. MariaDB/MySQL only: SQLite draws the number first and
 * writes each row with its own statement (one writer, no round trips).
 *
 * Issue 8 (at most ~6 statements per registration): what RegistrationNumberProcedure did — the day's next number
 * drawn last, written into the order, the time raised to the previous number's when that is later, and the COMMIT
 * when nothing is left — plus the rows every registration writes besides the order, in the same round trip: the first
 * timeline event (`register`, at the registration's time, raised with the order's), the search outbox row
 * (`work_order_search_pending`, when the search index is written after COMMIT: Mroonga) and the repeat screening
 * queue row (`repeat_screening_pending`, when the detector is on). A registration on MariaDB is then START, the order,
 * this CALL and COMMIT (which finds nothing left), then the Mroonga row.
 * The event, outbox and queue rows are written before the draw, so the sequence row is locked only for the draw, the
 * order's UPDATE and the COMMIT. The event's columns other than its actor and payload are those of every
 * registration: action `register`, from no status to `registered`, no reason. It answers the number, how many
 * microseconds the time was raised by (0 nearly always) and the event's id.
 * Errors (a foreign key, a deadlock) abort the CALL with nothing committed: the caller's transaction rolls back.
 * The text parameters are utf8mb4 whatever the database's default (names are Chinese).
 * SQL SECURITY INVOKER: it runs with the application's own rights, whoever created it.
 */
export class RegistrationInOneCall1796410000000 implements MigrationInterface {
  name = 'RegistrationInOneCall1796410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'better-sqlite3') return;
    await queryRunner.query(`CREATE PROCEDURE \`${COMPLETE_REGISTRATION_PROCEDURE}\`(
      IN p_day VARCHAR(8), IN p_digits INT, IN p_order_id INT, IN p_at DATETIME(3),
      IN p_actor_id INT, IN p_actor_name VARCHAR(64) CHARACTER SET utf8mb4, IN p_actor_role VARCHAR(16) CHARACTER SET utf8mb4,
      IN p_unit_id INT, IN p_unit_name VARCHAR(100) CHARACTER SET utf8mb4, IN p_payload TEXT CHARACTER SET utf8mb4,
      IN p_search_outbox BOOLEAN, IN p_screening_queued_at DATETIME(3), IN p_commit BOOLEAN)
      MODIFIES SQL DATA SQL SECURITY INVOKER
    BEGIN
      DECLARE v_event_id INT;
      DECLARE v_sequence INT;
      DECLARE v_number VARCHAR(16);
      DECLARE v_previous DATETIME(3);
      DECLARE v_at DATETIME(3);
      INSERT INTO \`work_order_events\` (\`workOrderId\`, \`action\`, \`fromStatus\`, \`toStatus\`, \`actorId\`, \`actorName\`, \`actorRole\`, \`unitId\`, \`unitName\`, \`reason\`, \`payload\`, \`createdAt\`)
        VALUES (p_order_id, 'register', NULL, 'registered', p_actor_id, p_actor_name, p_actor_role, p_unit_id, p_unit_name, NULL, p_payload, p_at);
      SET v_event_id = LAST_INSERT_ID();
      IF p_search_outbox THEN
        INSERT IGNORE INTO \`work_order_search_pending\` (\`workOrderId\`) VALUES (p_order_id);
      END IF;
      IF p_screening_queued_at IS NOT NULL THEN
        INSERT INTO \`repeat_screening_pending\` (\`workOrderId\`, \`queuedAt\`, \`claimedAt\`) VALUES (p_order_id, p_screening_queued_at, NULL);
      END IF;
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
      UPDATE \`work_orders\` SET \`number\` = v_number, \`createdAt\` = v_at, \`updatedAt\` = v_at, \`deadlineCheckAt\` = v_at WHERE \`id\` = p_order_id;
      IF v_at <> p_at THEN
        UPDATE \`work_order_events\` SET \`createdAt\` = v_at WHERE \`id\` = v_event_id;
      END IF;
      IF p_commit THEN
        COMMIT;
      END IF;
      SELECT v_number AS \`number\`, TIMESTAMPDIFF(MICROSECOND, p_at, v_at) AS \`raisedByMicroseconds\`, v_event_id AS \`eventId\`;
    END`);
    await queryRunner.query(`DROP PROCEDURE IF EXISTS \`${REGISTRATION_NUMBER_PROCEDURE}\``);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'better-sqlite3') return;
    await queryRunner.query(`DROP PROCEDURE IF EXISTS \`${COMPLETE_REGISTRATION_PROCEDURE}\``);
    await new RegistrationNumberProcedure1796191400000().up(queryRunner);
  }
}
