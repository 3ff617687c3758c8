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
    child.once('exit', (code) => reject(new Error(`${script} exited with ${String(code)}`)));
  });
}

const LATENCY_NOTE = 'percentiles of every answer timed to the microsecond, median of the turns';

interface Load {
  rps: number;
  /** Milliseconds, fractional: each answer's time as autocannon measured it (./servers/load.mjs). */
  p50: number;
  p99: number;
  errors: number;
}

/** autocannon in its own process: 10 keep-alive connections for `seconds`. */
function autocannon(url: string, seconds: number, headers: Record<string, string> = {}): Promise<Load> {
  return new Promise((resolve, reject) => {
    const script = path.join(here, 'servers', 'load.mjs');
    const child = spawn(process.execPath, [script, url, String(seconds), JSON.stringify(headers)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`the load generator exited with ${String(code)}`));
      else resolve(JSON.parse(out) as Load);
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
      `proxy: direct ${round(direct.rps, 0)}/s, forwarder ${round(bare.rps, 0)}/s p99 ${round(bare.p99, 3)} ms, hitch ${round(proxied.rps, 0)}/s p99 ${round(proxied.p99, 3)} ms (errors ${proxied.errors})`,
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
        value: round(proxied.p50, 3),
        unit: 'ms',
        baseline: round(bare.p50, 3),
        ratio: round(bare.p50 / proxied.p50),
        goal: 'reported',
        pass: true,
        note: LATENCY_NOTE,
      },
      {
        name: 'proxy p99 latency',
        value: round(proxied.p99, 3),
        unit: 'ms',
        baseline: round(bare.p99, 3),
        ratio: round(bare.p99 / proxied.p99),
        goal: '<= 1.5x forwarder p99',
        pass: proxied.p99 <= 1.5 * bare.p99 && proxied.errors === 0,
        note: LATENCY_NOTE,
      },
    ];
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}
