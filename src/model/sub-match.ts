/** When a subscription applies to a message: topic match with No Local, and the timing of both intervals. */
import { topicMatches } from '../codec/topic-match.ts';
import type { Msg, Sub } from './world-types.ts';

/** The subscription matches the message's topic (and No Local does not exclude it). */
export function subMatches(sub: Sub, m: Msg, v5: boolean): boolean {
  if (!topicMatches(sub.filter, m.topic)) return false;
  if (v5 && sub.req.noLocal && sub.share === undefined && m.publisher === sub.session.clientId) return false;
  return true;
}

/** Certainly in place for the whole time the broker could have been routing m. */
export const definitely = (sub: Sub, m: Msg): boolean => sub.t1 <= m.t0 && sub.end0 >= m.t1;
/** Possibly in place at some moment while the broker could have been routing m. */
export const possibly = (sub: Sub, m: Msg): boolean => sub.t0 <= m.t1 && sub.end1 >= m.t0;
