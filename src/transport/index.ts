export * from './types.ts';
export { listenTcp } from './tcp.ts';
export { listenTls, readTlsFiles } from './tls.ts';
export { listenWs, MQTT_SUBPROTOCOLS, type WsListenOptions } from './ws.ts';
export { WebSocketDuplex } from './ws-stream.ts';
export { dial, type DialOptions } from './dial.ts';
export { listenerUrl, urlHost, connectableHost, tcpAddress } from './url.ts';
