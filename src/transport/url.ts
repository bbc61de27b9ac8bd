import type { TransportKind } from './types.ts';

const schemes: Record<TransportKind, string> = { tcp: 'mqtt', tls: 'mqtts', ws: 'ws', wss: 'wss' };

/** Host as it appears in a URL: IPv6 literals get brackets. */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** Wildcard addresses are not connectable; point URLs at the matching loopback. */
export function connectableHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}

export function listenerUrl(transport: TransportKind, host: string, port: number, path = '/mqtt'): string {
  const base = `${schemes[transport]}://${urlHost(connectableHost(host))}:${port}`;
  return transport === 'ws' || transport === 'wss' ? `${base}${path}` : base;
}

/** MQTT's registered ports (IANA), for a URL that names none. */
export const DEFAULT_MQTT_PORT = 1883;
export const DEFAULT_MQTTS_PORT = 8883;

/**
 * The socket address of an mqtt:// or mqtts:// URL: the host without IPv6 brackets (what
 * `net.connect` wants) and the port, MQTT's registered one when the URL names none.
 */
export function tcpAddress(url: string | URL): { host: string; port: number } {
  const u = typeof url === 'string' ? new URL(url) : url;
  const fallback = u.protocol === 'mqtts:' ? DEFAULT_MQTTS_PORT : DEFAULT_MQTT_PORT;
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || fallback) };
}
