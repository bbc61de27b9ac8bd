import { expect, it } from 'vitest';
import { tcpAddress } from '../../src/transport/index.ts';

it('tcpAddress: MQTT registered ports when the URL names none, IPv6 brackets dropped for net.connect', () => {
  expect(tcpAddress('mqtt://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 1883 });
  expect(tcpAddress('mqtts://broker.example')).toEqual({ host: 'broker.example', port: 8883 });
  expect(tcpAddress('mqtt://[::1]:4321')).toEqual({ host: '::1', port: 4321 });
  expect(tcpAddress(new URL('mqtt://u:p@127.0.0.1:5000'))).toEqual({ host: '127.0.0.1', port: 5000 });
});
