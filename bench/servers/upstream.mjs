// The service behind the proxy: a small JSON answer, as fast as Node serves it.
import http from 'node:http';
const body = JSON.stringify({
  ok: true,
  items: [
    { id: 1, name: 'alpha' },
    { id: 2, name: 'beta' },
  ],
});
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
