import { callOutcome, type CallFacts } from './call-outcome';

const at = (time: string) => new Date(`2026-12-02T${time}+08:00`);
const none: CallFacts = { ringingAt: null, queuedAt: null, answeredAt: null, endedAt: null, cause: null };

describe('callOutcome', () => {
  it('answered: waited from ringing to answer, talked from answer to end', () => {
    expect(callOutcome({ ...none, ringingAt: at('09:00:00'), queuedAt: at('09:00:08'), answeredAt: at('09:00:21'), endedAt: at('09:03:05'), cause: 'normalClearing' })).toEqual({
      status: 'answered',
      waitSeconds: 21,
      talkSeconds: 164,
    });
  });

  it('an answered call still going on has a wait but no talk time yet', () => {
    expect(callOutcome({ ...none, ringingAt: at('09:00:00'), answeredAt: at('09:00:04.600') })).toEqual({ status: 'answered', waitSeconds: 5, talkSeconds: null });
  });

  it('missed: ended unanswered without being queued (the caller hung up while it rang)', () => {
    expect(callOutcome({ ...none, ringingAt: at('09:00:00'), endedAt: at('09:00:06'), cause: 'cancel' })).toEqual({ status: 'missed', waitSeconds: 6, talkSeconds: null });
  });

  it('abandoned: ended unanswered after being queued', () => {
    expect(callOutcome({ ...none, ringingAt: at('09:00:00'), queuedAt: at('09:00:10'), endedAt: at('09:01:40'), cause: 'normalClearing' })).toEqual({
      status: 'abandoned',
      waitSeconds: 100,
      talkSeconds: null,
    });
  });

  it('failed: ended unanswered with the cause failed, queued or not', () => {
    expect(callOutcome({ ...none, ringingAt: at('09:00:00'), queuedAt: at('09:00:01'), endedAt: at('09:00:02'), cause: 'failed' }).status).toBe('failed');
  });

  it('an answer that came late (replayed) still makes the ended call answered', () => {
    expect(callOutcome({ ...none, ringingAt: at('09:00:00'), endedAt: at('09:02:00'), answeredAt: at('09:00:30'), cause: 'normalClearing' })).toEqual({
      status: 'answered',
      waitSeconds: 30,
      talkSeconds: 90,
    });
  });

  it('in progress: ringing, then queued; without an arrival time the wait is unknown', () => {
    expect(callOutcome({ ...none, ringingAt: at('09:00:00') }).status).toBe('ringing');
    expect(callOutcome({ ...none, ringingAt: at('09:00:00'), queuedAt: at('09:00:05') }).status).toBe('queued');
    expect(callOutcome({ ...none, endedAt: at('09:00:05'), cause: 'busy' })).toEqual({ status: 'missed', waitSeconds: null, talkSeconds: null });
  });

  it('never gives a negative duration when the sources’ clocks disagree', () => {
    expect(callOutcome({ ...none, ringingAt: at('09:00:10'), answeredAt: at('09:00:09'), endedAt: at('09:00:08') })).toEqual({ status: 'answered', waitSeconds: 0, talkSeconds: 0 });
  });
});
