import { MigrationInterface, QueryRunner } from 'typeorm';

export const REGISTRATION_NUMBER_PROCEDURE = 'number_registered_work_order';

/**
 * Hand-written (TypeORM has no DDL for routines); reviewed. MariaDB/MySQL only: SQLite has one writer and draws the
 * number first, as before (work-order-numbers.ts).
 *
 * Registration on a server draws the number last (issue 8): the order and its first timeline event are inserted with
 * a provisional number, and this procedure, in one round trip, takes the next value of the day's sequence (the
 * `daily_sequences` row stays locked from here to COMMIT, so that stretch is one CALL and the COMMIT), gives the
 * order its number and makes its time no earlier than the time of the order numbered just before it — a locking
 * read, which sees that order committed, since it held the same sequence row until its COMMIT — so that numbers and
 * registration times sort alike even when the registration's clock reading was taken before a concurrent one's. The
 * order's createdAt/updatedAt/deadlineCheckAt and the event's createdAt are only written when that raised the time
 * (an UPDATE that leaves a column unchanged touches none of the indexes on it). It answers the number and how many
 * microseconds the time was raised by (0 nearly always), which keeps it free of time-zone conversions.
 * With p_commit it also commits, before answering: when the registration has nothing left to write, the sequence row
 * is then locked only while the server runs these statements, not for the round trips to the application and back
 * (and whatever else the application's event loop is doing in between) that a separate COMMIT would add; the
 * application's COMMIT that follows finds nothing left to commit. Only for a transaction of its own (never nested).
 * The share lock on the previous order is held to COMMIT: a sub-dispatch of that very order (which locks it, then draws
 * its child's number) running at the same moment is a deadlock InnoDB breaks at once, and TransactionService runs the
 * loser again — rare (the newest order of the day would have to be in a department's hands already) and harmless.
 * SQL SECURITY INVOKER: it runs with the application's own rights, whoever created it.
 */
export class RegistrationNumberProcedure1796191400000 implements MigrationInterface {
  name = 'RegistrationNumberProcedure1796191400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'better-sqlite3') return;
    await queryRunner.query(`CREATE PROCEDURE \`${REGISTRATION_NUMBER_PROCEDURE}\`(
      IN p_day VARCHAR(8), IN p_digits INT, IN p_order_id INT, IN p_event_id INT, IN p_at DATETIME(3), IN p_commit BOOLEAN)
      MODIFIES SQL DATA SQL SECURITY INVOKER
    BEGIN
      DECLARE v_sequence INT;
      DECLARE v_number VARCHAR(16);
      DECLARE v_previous DATETIME(3);
      DECLARE v_at DATETIME(3);
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
      UPDATE \`work_order_events\` SET \`createdAt\` = v_at WHERE \`id\` = p_event_id;
      IF p_commit THEN
        COMMIT;
      END IF;
      SELECT v_number AS \`number\`, TIMESTAMPDIFF(MICROSECOND, p_at, v_at) AS \`raisedByMicroseconds\`;
    END`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'better-sqlite3') return;
    await queryRunner.query(`DROP PROCEDURE IF EXISTS \`${REGISTRATION_NUMBER_PROCEDURE}\``);
  }
}
