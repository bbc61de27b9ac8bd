import { describe, expect, it } from 'vitest';
import { stripSharePrefix, topicMatches } from '../../src/codec/index.ts';

// Examples from section 4.7 of both standards (wildcards and $-topics), plus edge cases.
const cases: Array<[filter: string, topic: string, matches: boolean]> = [
  ['sport/tennis/player1/#', 'sport/tennis/player1', true],
  ['sport/tennis/player1/#', 'sport/tennis/player1/ranking', true],
  ['sport/tennis/player1/#', 'sport/tennis/player1/score/wimbledon', true],
  ['sport/#', 'sport', true],
  ['#', 'a/b/c', true],
  ['sport/tennis/+', 'sport/tennis/player1', true],
  ['sport/tennis/+', 'sport/tennis/player1/ranking', false],
  ['sport/+', 'sport', false],
  ['sport/+', 'sport/', true],
  ['+/+', '/finance', true],
  ['/+', '/finance', true],
  ['+', '/finance', false],
  ['#', '$SYS/broker/uptime', false], // MQTT-4.7.2-1
  ['+/monitor/Clients', '$SYS/monitor/Clients', false],
  ['$SYS/#', '$SYS/monitor/Clients', true],
  ['$SYS/monitor/+', '$SYS/monitor/Clients', true],
  ['ACCOUNTS', 'Accounts', false], // case sensitive
  ['a//b', 'a//b', true],
  ['a/+/b', 'a//b', true],
];

describe('topicMatches', () => {
  it.each(cases)('%s vs %s → %s', (filter, topic, want) => {
    expect(topicMatches(filter, topic)).toBe(want);
  });
  it('strips a shared-subscription prefix only when it is well formed', () => {
    expect(stripSharePrefix('$share/g/a/+')).toBe('a/+');
    expect(stripSharePrefix('$share/g')).toBe('$share/g');
    expect(stripSharePrefix('a/b')).toBe('a/b');
  });
});
