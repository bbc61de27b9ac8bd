export * from './types.ts';
export { listenTcp } from './tcp.ts';
export { listenTls, readTlsFiles } from './tls.ts';
export { listenWs, MQTT_SUBPROTOCOLS, type WsListenOptions } from './ws.ts';
export { WebSocketDuplex } from './ws-stream.ts';
export { dial, openTcp, type DialOptions, type TcpTarget } from './dial.ts';
export { listenerUrl, urlHost, connectableHost, tcpAddress } from './url.ts';
