/**
 * The transport under a TestClient: an ordered byte pipe to the broker, whatever the
 * URL scheme (TCP, TLS, WebSocket). Dialers return one of these once it is open.
 */
export interface ByteStream {
  /** "tcp 127.0.0.1:1883", "ws ws://host/mqtt" ... for messages. */
  readonly description: string;
  write(bytes: Buffer): void;
  /** WebSocket only: sends one text (not binary) message, to test MQTT-6.0.0-1. */
  writeText?(text: string): void;
  /** Half-close our side gracefully (TCP FIN / WebSocket close frame). */
  end(): void;
  /** Tear the connection down at once. */
  destroy(): void;
  onData(cb: (chunk: Buffer) => void): void;
  /** Called once, when the stream is gone for any reason; `error` says why if it was not orderly. */
  onClose(cb: (error?: Error) => void): void;
}

/** How to reach and trust a broker. */
export interface DialOptions {
  /** mqtt://, mqtts://, ws://, wss:// (tcp:// / tls:// / ssl:// are accepted as aliases). */
  url: string;
  /** Bound on TCP + TLS + WebSocket handshakes. */
  connectTimeoutMs: number;
  /** PEM file of the CA that signs the broker's certificate (mqtts/wss). */
  caFile?: string;
  /** Accept any certificate (mqtts/wss). */
  insecure?: boolean;
}

/** A problem reaching or configuring the target; never a protocol verdict about the broker. */
export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}
