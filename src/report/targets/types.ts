/** A broker the matrix can run the conformance suite against, started on this machine. */
export interface TargetLauncher {
  /** Short name used on the command line: embedded, mosquitto, aedes, rabbitmq. */
  name: string;
  /** One line: what it starts. */
  description: string;
  /** Starts the broker on free loopback ports and waits until it accepts connections (bounded). */
  start(log?: (line: string) => void): Promise<RunningTarget>;
}

export interface RunningTarget {
  name: string;
  /** MQTT_BROKER_URL for the suite ("embedded" makes every worker start its own reference broker). */
  url: string;
  /** MQTT_WS_URL, where the broker has a WebSocket listener. */
  wsUrl?: string;
  /** The broker's product name and version, for report column headings. */
  broker: { name: string; version?: string };
  /** Extra environment for the suite (e.g. a time scale). */
  env?: Record<string, string>;
  /** Stops the broker and removes its files; safe to call twice. */
  stop(): Promise<void>;
}

/** A launcher cannot run here; the message says exactly what is missing and how to get it. */
export class TargetUnavailable extends Error {}
