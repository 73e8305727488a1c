/**
 * Waits until the repeat screening queue (repeat_screening_pending, all processes) is empty — registrations answer
 * before they are screened — polling `waiting` every `pollMs`; fails once it has waited `giveUpAfterMs`. Answers how
 * many orders it held at first and how long they took to be screened (0 when none waited). Shared by the benchmarks.
 */
export async function screeningQueueDrained(
  waiting: () => Promise<number>,
  options: { pollMs: number; giveUpAfterMs: number; when: string },
): Promise<{ waitingAtStart: number; lagMs: number }> {
  const started = performance.now();
  const waitingAtStart = await waiting();
  for (let left = waitingAtStart; left > 0; left = await waiting()) {
    if (performance.now() - started > options.giveUpAfterMs) {
      throw new Error(`the repeat screening queue still holds ${left} orders ${Math.round(options.giveUpAfterMs / 60_000)} minutes ${options.when}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
  return { waitingAtStart, lagMs: waitingAtStart === 0 ? 0 : performance.now() - started };
}
