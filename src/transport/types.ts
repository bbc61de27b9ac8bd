import type { Duplex } from 'node:stream';

/** The four MQTT transports the harness speaks. */
export type TransportKind = 'tcp' | 'tls' | 'ws' | 'wss';

/** What a listener knows about one accepted connection. */
export interface StreamMeta {
  transport: TransportKind;
  remoteAddress?: string;
  remotePort?: number;
}

/** Called once per accepted connection with a byte stream that carries MQTT packets. */
export type ConnectionHandler = (stream: Duplex, meta: StreamMeta) => void;

/** A bound listener; `port` is the real port even when 0 was asked for. */
export interface Listener {
  readonly transport: TransportKind;
  readonly host: string;
  readonly port: number;
  /** e.g. mqtt://127.0.0.1:1883, mqtts://[::1]:8883, ws://127.0.0.1:8080/mqtt */
  readonly url: string;
  /** Stops accepting and destroys every open connection of this listener. */
  close(): Promise<void>;
}

export interface TlsMaterial {
  /** PEM text or Buffer (not a path; see readTlsFiles). */
  cert: string | Buffer;
  key: string | Buffer;
  /** CA bundle used to verify client certificates. */
  ca?: string | Buffer;
  /** Ask clients for a certificate; with rejectUnauthorized (default true) they must present a valid one. */
  requestCert?: boolean;
  rejectUnauthorized?: boolean;
}

export interface ListenOptions {
  /** Default 127.0.0.1. Use "::1" for IPv6 loopback, "0.0.0.0" / "::" for all interfaces. */
  host?: string;
  /** Default 0: the OS picks a free port. */
  port?: number;
  onConnection: ConnectionHandler;
  /** Told about connections that fail before reaching onConnection (TLS handshake, bad HTTP upgrade). */
  onError?: (what: string, err: Error, remoteAddress?: string) => void;
}
