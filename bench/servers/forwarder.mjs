// The practical ceiling for a Node proxy: a bare pass-through written with undici alone.
import http from 'node:http';
import { Pool } from 'undici';
const target = process.argv[2];
const pool = new Pool(target, { connections: 64, pipelining: 1 });
const server = http.createServer(async (req, res) => {
  try {
    const upstream = await pool.request({
      path: req.url,
      method: req.method,
      headers: { accept: req.headers.accept ?? '*/*', authorization: 'Bearer bench' },
      body: req.method === 'GET' || req.method === 'HEAD' ? null : req,
    });
    const headers = {};
    for (const [k, v] of Object.entries(upstream.headers))
      if (k !== 'connection' && k !== 'keep-alive' && k !== 'transfer-encoding') headers[k] = v;
    res.writeHead(upstream.statusCode, headers);
    upstream.body.pipe(res);
  } catch {
    res.writeHead(502).end();
  }
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
