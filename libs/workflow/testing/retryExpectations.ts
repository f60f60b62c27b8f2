import { stepMessageId, type QueueName } from '@commandflow/topology';
import { backOffMs, type DeliveryPolicy } from '../src';

/** The messages a step's queue takes for a command over `attempts` attempts: the first, then one scheduled retry per attempt after it. */
export function retryMessageIds(commandId: string, queue: QueueName, attempts: number): string[] {
  const first = stepMessageId(commandId, queue);
  return [first, ...Array.from({ length: attempts - 1 }, (_, n) => `${first}:attempt-${n + 2}`)];
}

/**
 * Asserts each message's delay (its scheduled time minus when the queue stored it, in ms) against
 * the policy's back-off: none for the first, then the back-off of the attempt before. A delay may
 * fall short by up to `toleranceMs`: the step decides the time a few ms before the queue stores the copy.
 */
export function expectBackOff(delaysMs: readonly number[], policy: Pick<DeliveryPolicy, 'baseDelayMs' | 'maxDelayMs'>, toleranceMs = 0): void {
  delaysMs.forEach((delay, index) => {
    const backOff = index === 0 ? 0 : backOffMs(index, { maxAttempts: Infinity, ...policy });
    expect(delay).toBeLessThanOrEqual(backOff);
    expect(delay).toBeGreaterThanOrEqual(backOff - toleranceMs);
  });
}
