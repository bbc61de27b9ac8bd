/** Encoded packets for the proxy's decision tests (level 4 PUBLISH and PUBACK). */
import { encodePacket } from '../../src/codec/index.ts';

export const pub = (topic: string, packetId?: number) =>
  encodePacket(
    {
      type: 'publish',
      topic,
      payload: Buffer.from('p'),
      qos: packetId === undefined ? 0 : 1,
      retain: false,
      dup: false,
      ...(packetId !== undefined ? { packetId } : {}),
    },
    4,
  );
export const puback = (packetId: number) => encodePacket({ type: 'puback', packetId }, 4);
