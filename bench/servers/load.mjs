// The load generator, in its own process: autocannon with fixed connections and duration, keep-alive on.
// Its own latency histogram keeps whole milliseconds, so every answer's time is also kept here as
// autocannon measured it (hrtime, fractional), and the percentiles are read from those.
import autocannon from 'autocannon';

const [url, seconds, headersJson] = process.argv.slice(2);
let times = new Float64Array(1 << 20);
let count = 0;
const result = await autocannon({
  url,
  connections: 10,
  duration: Number(seconds),
  headers: JSON.parse(headersJson ?? '{}'),
  setupClient(client) {
    client.on('response', (status, _bytes, ms) => {
      if (status < 200 || status > 299) return;
      if (count === times.length) {
        const grown = new Float64Array(times.length * 2);
        grown.set(times);
        times = grown;
      }
      times[count++] = ms;
    });
  },
});
const sorted = times.subarray(0, count).sort();
const percentile = (p) => (count === 0 ? 0 : sorted[Math.min(count - 1, Math.ceil((p / 100) * count) - 1)]);
process.stdout.write(
  JSON.stringify({
    rps: result.requests.average,
    p50: percentile(50),
    p99: percentile(99),
    errors: result.errors + result.non2xx + result.timeouts,
  }),
);
