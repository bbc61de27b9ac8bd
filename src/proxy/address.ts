/** Parsing of listen and upstream addresses given as strings. */

export interface HostPort {
  host: string;
  port: number;
}

export interface UpstreamTarget extends HostPort {
  scheme: 'mqtt' | 'mqtts' | 'ws' | 'wss' | 'tcp';
  /** MQTT framing is only possible on plain MQTT over TCP; TLS and WebSocket pass byte-wise. */
  framable: boolean;
  /** URL path (WebSocket upstreams), e.g. "/mqtt"; "" otherwise. */
  path: string;
}

function splitHostPort(s: string, what: string, defaultPort?: number): HostPort {
  const m = /^(?:\[([^\]]+)\]|([^:/]*))(?::(\d+))?$/.exec(s);
  if (m === null) throw new Error(`${what}: cannot read "${s}" as host:port`);
  const host = m[1] ?? (m[2] === '' || m[2] === undefined ? '127.0.0.1' : m[2]);
  const port = m[3] !== undefined ? Number(m[3]) : defaultPort;
  if (port === undefined || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${what}: "${s}" needs a port 0..65535`);
  }
  return { host, port };
}

/** "127.0.0.1:0", "[::1]:1883", ":0", "0" → host and port. */
export function parseListen(s: string): HostPort {
  if (/^\d+$/.test(s)) return splitHostPort(`:${s}`, 'listen');
  return splitHostPort(s, 'listen');
}

const defaults: Record<UpstreamTarget['scheme'], number> = { mqtt: 1883, tcp: 1883, mqtts: 8883, ws: 80, wss: 443 };

/** "mqtt://host:port", "tcp://…", "mqtts://…", "ws://host:port/mqtt", "wss://…" or bare "host:port". */
export function parseUpstream(s: string): UpstreamTarget {
  const m = /^([a-z]+):\/\/([^/]*)(\/.*)?$/i.exec(s);
  if (m === null) return { ...splitHostPort(s, 'upstream'), scheme: 'tcp', framable: true, path: '' };
  const scheme = m[1].toLowerCase();
  if (!(scheme in defaults))
    throw new Error(`upstream: unsupported scheme "${scheme}" in "${s}" (mqtt, tcp, mqtts, ws, wss)`);
  const sc = scheme as UpstreamTarget['scheme'];
  const hp = splitHostPort(m[2], 'upstream', defaults[sc]);
  return { ...hp, scheme: sc, framable: sc === 'mqtt' || sc === 'tcp', path: m[3] ?? '' };
}

export function formatHostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
