import { fork, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { round, type BenchContext, type Figure } from './figures.ts';
import { buildIfStale } from './product.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

function start(
  script: string,
  args: string[],
  execArgv: string[] = [],
): Promise<{ child: ChildProcess; info: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(here, 'servers', script), args, {
      execArgv,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.once('message', (info) => resolve({ child, info: info as Record<string, unknown> }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/** autocannon counts latency in whole milliseconds: a percentile under 1 ms reads 0, and is compared as 1 ms. */
const wholeMs = (ms: number) => Math.max(ms, 1);
const LATENCY_NOTE = 'autocannon reports whole milliseconds; under 1 ms is compared as 1 ms';

interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** autocannon in its own process: fixed connections and duration, keep-alive on. */
function autocannon(url: string, seconds: number, headers: Record<string, string> = {}): Promise<Load> {
  return new Promise((resolve, reject) => {
    const bin = path.join(here, '..', 'node_modules', '.bin', 'autocannon');
    const args = [
      '--json',
      '-c',
      '10',
      '-d',
      String(seconds),
      ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]),
      url,
    ];
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`autocannon exited with ${code}`));
        return;
      }
      const r = JSON.parse(out) as {
        requests: { average: number };
        latency: { p50: number; p99: number };
        errors: number;
        non2xx: number;
      };
      resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx });
    });
  });
}

/** Turns of one server as one load: mean throughput, median latencies, every error. */
function combined(turns: Load[]): Load {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return {
    rps: turns.reduce((sum, t) => sum + t.rps, 0) / turns.length,
    p50: median(turns.map((t) => t.p50)),
    p99: median(turns.map((t) => t.p99)),
    errors: turns.reduce((sum, t) => sum + t.errors, 0),
  };
}

/**
 * Proxy overhead: requests per second and p50/p99 through the proxy to a local
 * upstream, against the upstream called directly and a bare undici forwarder.
 * Upstream, forwarder, Hitch and the load generator each run in a process of their own.
 */
export async function proxyOverhead(ctx: BenchContext): Promise<Figure[]> {
  // Turns that alternate their order, as the token path's: run one after the other, the VM's drift
  // between them moved the ratio by a tenth. Each server first takes one turn unmeasured (JIT, pools).
  const turns = ctx.size === 'tiny' ? 1 : ctx.size === 'quick' ? 4 : 6;
  const seconds = ctx.size === 'tiny' ? 1 : ctx.size === 'quick' ? 2 : 4;
  const children: ChildProcess[] = [];
  buildIfStale();
  try {
    const upstream = await start('upstream.mjs', []);
    children.push(upstream.child);
    const upstreamUrl = `http://127.0.0.1:${String(upstream.info.port)}`;
    const forwarder = await start('forwarder.mjs', [upstreamUrl]);
    children.push(forwarder.child);
    const hitch = await start('hitch.ts', [upstreamUrl], ['--import', 'tsx']);
    children.push(hitch.child);

    const targets: Array<[url: string, headers: Record<string, string>]> = [
      [`${upstreamUrl}/items`, {}],
      [`http://127.0.0.1:${String(forwarder.info.port)}/items`, {}],
      [
        `http://127.0.0.1:${String(hitch.info.port)}/api/v1/connections/${String(hitch.info.connectionId)}/proxy/items`,
        { authorization: `Bearer ${String(hitch.info.token)}` },
      ],
    ];
    if (ctx.size !== 'tiny') for (const [url, headers] of targets) await autocannon(url, 1, headers);
    const loads: Load[][] = targets.map(() => []);
    for (let turn = 0; turn < turns; turn++) {
      const order = targets.map((_, i) => i);
      if (turn % 2 === 1) order.reverse();
      for (const i of order) loads[i]!.push(await autocannon(targets[i]![0], seconds, targets[i]![1]));
    }
    const [direct, bare, proxied] = loads.map(combined) as [Load, Load, Load];
    ctx.log(
      `proxy: direct ${round(direct.rps, 0)}/s, forwarder ${round(bare.rps, 0)}/s p99 ${bare.p99} ms, hitch ${round(proxied.rps, 0)}/s p99 ${proxied.p99} ms (errors ${proxied.errors})`,
    );
    return [
      {
        name: 'proxy throughput vs upstream direct',
        value: round(proxied.rps, 0),
        unit: 'req/s',
        baseline: round(direct.rps, 0),
        ratio: round(proxied.rps / direct.rps),
        goal: 'reported',
        pass: proxied.errors === 0,
      },
      {
        name: 'proxy throughput vs bare undici forwarder',
        value: round(proxied.rps, 0),
        unit: 'req/s',
        baseline: round(bare.rps, 0),
        ratio: round(proxied.rps / bare.rps),
        goal: '>= 0.8x forwarder',
        pass: proxied.rps / bare.rps >= 0.8 && proxied.errors === 0,
      },
      {
        name: 'proxy p50 latency',
        value: proxied.p50,
        unit: 'ms',
        baseline: bare.p50,
        ratio: round(wholeMs(bare.p50) / wholeMs(proxied.p50)),
        goal: 'reported',
        pass: true,
        note: LATENCY_NOTE,
      },
      {
        name: 'proxy p99 latency',
        value: proxied.p99,
        unit: 'ms',
        baseline: bare.p99,
        ratio: round(wholeMs(bare.p99) / wholeMs(proxied.p99)),
        goal: '<= 1.5x forwarder p99',
        pass: proxied.p99 <= 1.5 * wholeMs(bare.p99),
        note: LATENCY_NOTE,
      },
    ];
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}
