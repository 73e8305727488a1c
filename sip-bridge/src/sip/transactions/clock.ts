/**
 * Time as the transaction layer sees it. Injected so that tests drive RFC 3261 timers with a fake
 * clock instead of real sleeps (timer B alone is 32 s).
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): number;
  schedule(delayMs: number, callback: () => void): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(delayMs, callback) {
    const timer = setTimeout(callback, delayMs);
    // A pending retransmission must not keep the process alive at shutdown.
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

/** RFC 3261 §17.1.1.1 / Table 4 base values. */
export interface SipTimerSettings {
  /** RTT estimate, default 500 ms. */
  t1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses, default 4 s. */
  t2: number;
  /** Maximum time a message stays in the network, default 5 s. */
  t4: number;
}

export const DEFAULT_TIMERS: SipTimerSettings = { t1: 500, t2: 4000, t4: 5000 };
