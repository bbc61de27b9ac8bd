/** Client DISCONNECT (3.14): will handling and the 5.0 Session Expiry Interval update rules. */
import type { DisconnectPacket } from '../codec/index.ts';
import { ref311, ref50 } from '../spec/types.ts';
import type { Conn } from './conn-api.ts';

export function onDisconnect(c: Conn, p: DisconnectPacket): void {
  const s = c.session!;
  const rc = p.reasonCode ?? 0;
  const sei = c.level5 ? p.properties?.sessionExpiryInterval : undefined;
  if (sei !== undefined) {
    if (s.connectExpiryWasZero && sei !== 0) {
      // 3.14.2.2.2: non-zero expiry on DISCONNECT after zero on CONNECT is a protocol error; the will is kept.
      return c.protocolError(
        'DISCONNECT sets Session Expiry Interval after CONNECT set 0',
        ref311('MQTT-4.8.0-1'),
        ref50('MQTT-4.13.1-1'),
      );
    }
    const was = s.persistent;
    s.expiryInterval = Math.min(sei, c.ctx.limits.maxSessionExpiryInterval);
    if (s.persistent) c.fx.persist.putSession(s.toRecord());
    else if (was) c.fx.persist.deleteSession(s.clientId);
  }
  // 3.14.4-3: normal disconnection discards the will; 0x04 (and any other code) keeps it.
  c.discardWill = rc === 0x00;
  c.close();
}
