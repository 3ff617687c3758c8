// A token endpoint as fast as Node serves JSON, in a process of its own: the ceiling for refresh throughput.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
let calls = 0;
const server = http.createServer((req, res) => {
  calls++;
  req.resume();
  req.on('end', () => {
    const body = JSON.stringify({
      access_token: `at-${calls}-${randomBytes(8).toString('hex')}`,
      token_type: 'bearer',
      expires_in: 3600,
      refresh_token: `rt-${calls}-${randomBytes(8).toString('hex')}`,
    });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
// Asked "calls", it answers how many token requests it has served.
process.on('message', (message) => {
  if (message === 'calls') process.send?.({ calls });
});
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
