import { Given, When } from '@cucumber/cucumber';
import { ScramClient } from '../src/broker/auth/index.ts';
import { ExpectationError, describePacket, type TestClient } from '../src/client/index.ts';
import type { AuthPacket, Packet } from '../src/codec/index.ts';
import type { ConformanceWorld as W } from './support/world.ts';
import { re } from './support/parse.ts';
import { CLIENT } from './support/parameter-types.ts';

/**
 * Enhanced authentication with SCRAM-SHA-256 (RFC 7677) for the 5.0 AUTH scenarios. The client
 * side of the exchange comes from the reference broker's SCRAM helper (pure crypto, no broker
 * state). The user is the configured one (MQTT_USERNAME / MQTT_PASSWORD).
 */
const METHOD = 'SCRAM-SHA-256';
const scram = new WeakMap<W, Map<string, ScramClient>>();

function credentials(w: W): { username: string; password: string } | undefined {
  const { username, password } = w.run.config;
  return username !== undefined && password !== undefined ? { username, password } : undefined;
}

function lastAuth(w: W, name: string): AuthPacket {
  const p = w.trace.entries
    .filter((e) => e.client === name && e.direction === 'received' && e.packet?.type === 'auth')
    .map((e) => e.packet as AuthPacket)
    .pop();
  if (!p) throw new Error(`"${name}" has received no AUTH to answer`);
  return p;
}

/** Probes whether the target runs SCRAM-SHA-256 for the configured user: CONNECT with it must get AUTH 0x18. */
Given(re(`the broker accepts SCRAM-SHA-256 authentication for the configured user`), async function (this: W) {
  const cred = credentials(this);
  if (!cred)
    return this.notApplicable(
      'SCRAM-SHA-256 needs a user name and password (MQTT_USERNAME / MQTT_PASSWORD); the embedded broker gets them from scenarios/embedded/default.credentials.yaml unless MQTT_EMBEDDED_CONFIG says otherwise',
    );
  const probe: TestClient = await this.open('scram-probe', '5');
  try {
    probe.send({
      type: 'connect',
      protocolName: 'MQTT',
      protocolLevel: 5,
      clean: true,
      keepAlive: 30,
      clientId: this.clientIdOf('scram-probe'),
      properties: {
        authenticationMethod: METHOD,
        authenticationData: new ScramClient(cred.username, cred.password).firstMessage(),
      },
    });
    const first: Packet = await probe
      .expectAny([{ type: 'auth' }, { type: 'connack' }], this.waitMs)
      .catch(() => ({ type: 'pingresp' }) as Packet);
    if (first.type !== 'auth')
      return this.notApplicable(
        `the broker did not start a SCRAM-SHA-256 exchange (answered ${first.type === 'pingresp' ? 'nothing' : describePacket(first)})`,
      );
    return undefined;
  } finally {
    await probe.close(this.ms(500));
  }
});

When(
  re(`${CLIENT} starts SCRAM-SHA-256 authentication(?: with (.+))?`),
  async function (this: W, name: string, spec?: string) {
    const cred = credentials(this);
    if (!cred)
      throw new Error(
        'SCRAM-SHA-256 needs a user name and password; start the scenario with "Given the broker accepts SCRAM-SHA-256 authentication for the configured user"',
      );
    const sc = new ScramClient(cred.username, cred.password);
    const m = scram.get(this) ?? new Map<string, ScramClient>();
    scram.set(this, m);
    m.set(name, sc);
    const data = sc.firstMessage().toString('hex');
    await this.sendConnect(name, {
      credentials: 'none',
      spec: `authentication method "${METHOD}" authentication data hex "${data}"${spec ? ` and ${spec}` : ''}`,
    });
  },
);

When(
  re(`${CLIENT} answers the SCRAM challenge( with a wrong password)?`),
  function (this: W, name: string, wrong?: string) {
    const challenge = lastAuth(this, name);
    const data = challenge.properties?.authenticationData;
    if (!data)
      throw new ExpectationError(
        `${name}: the broker's AUTH has no Authentication Data to answer: ${describePacket(challenge)}`,
      );
    let sc = scram.get(this)?.get(name);
    if (!sc) throw new Error(`"${name}" has not started SCRAM-SHA-256 authentication`);
    if (wrong) sc = new ScramClient(sc.username, 'not-the-password', sc.nonce);
    let final: Buffer;
    try {
      final = sc.finalMessage(data);
    } catch (e) {
      throw new ExpectationError(`${name}: the broker's SCRAM challenge is not valid: ${(e as Error).message}`);
    }
    this.client(name).send({
      type: 'auth',
      reasonCode: 0x18,
      properties: { authenticationMethod: METHOD, authenticationData: final },
    });
  },
);

When(re(`${CLIENT} starts SCRAM-SHA-256 re-authentication`), function (this: W, name: string) {
  const cred = credentials(this);
  if (!cred) throw new Error('SCRAM-SHA-256 needs a user name and password');
  const sc = new ScramClient(cred.username, cred.password);
  scram.get(this)?.set(name, sc);
  this.client(name).send({
    type: 'auth',
    reasonCode: 0x19,
    properties: { authenticationMethod: METHOD, authenticationData: sc.firstMessage() },
  });
});
