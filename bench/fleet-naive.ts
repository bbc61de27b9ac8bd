/**
 * The naive fleet bench:fleet compares against: N MQTT.js clients in one process, each
 * publishing QoS 1 every interval, one MQTT.js subscriber timing end to end. Prints one JSON
 * line: how many connected, messages, latency quantiles, RSS and CPU.
 *   tsx bench/fleet-naive.ts URL N RATE DURATION_MS INTERVAL_MS
 */
import mqtt from 'mqtt';
import * as hdr from 'hdr-histogram-js';

const [url, nS, rateS, durS, intS] = process.argv.slice(2);
const n = Number(nS),
  rate = Number(rateS),
  durationMs = Number(durS),
  intervalMs = Number(intS);
const now = () => performance.timeOrigin + performance.now();
const h = hdr.build({
  lowestDiscernibleValue: 1,
  highestTrackableValue: 3_600_000_000,
  numberOfSignificantValueDigits: 3,
});
const cpu0 = process.cpuUsage();
const rssBase = process.memoryUsage.rss();
let rssPeak = rssBase;
let published = 0,
  received = 0,
  connected = 0,
  failed = 0;
const run = `naive${process.pid}`;
const sub = mqtt.connect(url, { clientId: `${run}-sub`, reconnectPeriod: 0 });
sub.on('message', (_t, p) => {
  received++;
  const t0 = Number(p.toString().split(' ')[1]);
  if (Number.isFinite(t0)) h.recordValue(Math.max(1, Math.round((now() - t0) * 1000)));
});
await new Promise<void>((resolve, reject) => {
  sub.once('connect', () => sub.subscribe(`${run}/+`, { qos: 1 }, (e) => (e ? reject(e) : resolve())));
  sub.once('error', reject);
});
const clients: mqtt.MqttClient[] = [];
const t0 = now();
const timers: NodeJS.Timeout[] = [];
for (let i = 0; i < n; i++) {
  const wait = t0 + (i * 1000) / rate - now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  const c = mqtt.connect(url, {
    clientId: `${run}-${i}`,
    keepalive: 60,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
  });
  c.once('connect', () => {
    connected++;
    const topic = `${run}/${i}`;
    const tick = () => {
      published++;
      c.publish(topic, `${i} ${now().toFixed(3)}`, { qos: 1 });
    };
    timers.push(
      setTimeout(function go() {
        if (now() - t0 < durationMs) {
          tick();
          timers.push(setTimeout(go, intervalMs));
        }
      }, Math.random() * intervalMs),
    );
  });
  c.on('error', () => {
    failed++;
  });
  clients.push(c);
  if (i % 500 === 0) rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
}
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 500);
await new Promise((r) => setTimeout(r, Math.max(0, t0 + durationMs + 5000 - now())));
clearInterval(sampler);
for (const t of timers) clearTimeout(t);
const cpu = process.cpuUsage(cpu0);
const q = (p: number) => (h.totalCount ? h.getValueAtPercentile(p) / 1000 : null);
console.log(
  JSON.stringify({
    n,
    connected,
    failed,
    published,
    received,
    p50: q(50),
    p99: q(99),
    rssBaseMb: Math.round(rssBase / 1048576),
    rssPeakMb: Math.round(rssPeak / 1048576),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  }),
);
for (const c of clients) c.end(true);
sub.end(true);
setTimeout(() => process.exit(0), 500).unref();
