import { parse, toSeconds } from 'iso8601-duration';

/** Milliseconds of an ISO-8601 duration such as `PT1M`, `PT0.5S` or `P1DT2H`. Throws on anything else. */
export function durationMs(duration: string): number {
  return Math.round(toSeconds(parse(duration)) * 1000);
}
