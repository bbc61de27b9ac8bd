// A tiny aedes 1.2.0 server for the broker matrix: MQTT over TCP and WebSocket (path /mqtt) on
// the given loopback ports (0 = any free port). Prints "aedes listening mqtt=PORT ws=PORT" once
// both listen; exits cleanly on SIGTERM / SIGINT.
//   node src/report/targets/aedes-server.mjs [tcpPort] [wsPort]
import net from 'node:net';
import http from 'node:http';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { Aedes } from 'aedes';

const [tcpPort = 0, wsPort = 0] = process.argv.slice(2).map(Number);
const aedes = await Aedes.createBroker();
const server = net.createServer(aedes.handle);
const httpServer = http.createServer();
const wss = new WebSocketServer({ server: httpServer, path: '/mqtt' });
wss.on('connection', (socket, req) => aedes.handle(createWebSocketStream(socket), req));
const listen = (s, port) =>
  new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s.address().port));
  });
const tcp = await listen(server, tcpPort);
const ws = await listen(httpServer, wsPort);
console.log(`aedes listening mqtt=${tcp} ws=${ws}`);
let stopping = false;
const stop = () => {
  if (stopping) process.exit(1);
  stopping = true;
  const force = setTimeout(() => process.exit(1), 3000);
  force.unref();
  wss.close();
  server.close();
  httpServer.close();
  aedes.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
