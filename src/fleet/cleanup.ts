/**
 * Leaves a shared broker as a scenario found it, best effort: clears the retained messages the
 * scenario set (empty retained PUBLISH) and ends its devices' persistent sessions with one clean
 * connection per client id (3.1.1 CleanSession 1 / 5.0 Clean Start 1 with expiry 0).
 */
import { systemClock } from '../common/index.ts';
import { HistoryRecorder, type History } from '../checker/index.ts';
import { Device } from './device.ts';

export interface CleanUpOptions {
  brokerUrl: string;
  level: 4 | 5;
  clientIds: string[];
  retainedTopics: string[];
  username?: string;
  password?: string;
}

/** The topics a history published retained messages to. */
export const retainedTopicsOf = (h: History): string[] => [
  ...new Set(h.filter((o) => o.f === 'publish' && o.value.retain === true).map((o) => o.value.topic!)),
];

export async function cleanUpTarget(o: CleanUpOptions): Promise<void> {
  const scratch = new HistoryRecorder(systemClock);
  await Promise.all(
    o.clientIds.map(async (clientId, i) => {
      const d = new Device({
        clientId,
        url: o.brokerUrl,
        recorder: scratch,
        level: o.level,
        keepAlive: 0,
        connectTimeoutMs: 1000,
        backoff: { maxAttempts: 0 },
        username: o.username,
        password: o.password,
      });
      try {
        if (!(await d.start())) return;
        if (i === 0) for (const t of o.retainedTopics) void d.publish(t, 0, { retain: true, empty: true });
        await d.disconnect();
      } finally {
        d.close();
      }
    }),
  );
}
