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
