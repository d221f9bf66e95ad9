/**
 * `pnpm bench:load [--customers N] [--orders M] [--concurrency C] [--seconds S] [--rounds R]
 *                    [--only TEXT] [--profile FILE] [--statements]`
 *
 * The whole graph in this one process under concurrent load: the customer detail and the list of
 * 50 with sections, `--concurrency` requests in flight for `--seconds` each, in `--rounds`
 * alternating rounds. Prints requests/s and the process's CPU per operation (gateway, subgraphs and
 * this client together). `--profile` writes a V8 CPU profile and prints its self time by package;
 * `--statements` prints the SQL each subgraph sends for one request of each.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { signToken } from '@cg/auth';
import { dropDatabase, ensureDatabase, startEmbeddedPostgres, withDatabase } from '@cg/db';
import { startGraph } from '@cg/graph';
import { generateBenchData } from './data.ts';
import { scenarios, type BenchContext, type GraphRequest } from './scenarios.ts';

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '2000' },
    orders: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '1' },
    only: { type: 'string' },
    profile: { type: 'string' },
    statements: { type: 'boolean', default: false },
  },
});

const LOADS = ['customer detail, 5 customers with median orders', 'list of 50 + orders/wallet/permissions'];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/** Where a frame's self time belongs, by the package its script comes from. */
function category(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  const ours = /\/(packages|services|gateway|infra)\/([^/]+)?\/?(?:src\/)?(.*)$/.exec(url);
  if (ours) return ours[1] === 'gateway' ? 'gateway' : `${ours[1]}/${ours[2]}/${ours[3]}`;
  if (url.startsWith('node:')) return url;
  return url;
}

function summarise(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byCategory = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const key = category(node.callFrame.url, node.callFrame.functionName);
    byCategory.set(key, (byCategory.get(key) ?? 0) + us);
    const fn = `${node.callFrame.functionName || '(anonymous)'} ${key}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([key, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`)
      .join('\n');
  return `self time by package (${(total / 1000).toFixed(0)} ms sampled)\n${top(byCategory, 40)}\n\ntop functions\n${top(byFunction, 40)}`;
}

async function main() {
  // DATABASE_URL's server, or an embedded one of this run only (as `pnpm bench`).
  const folder = process.env.DATABASE_URL ? undefined : mkdtempSync(join(os.tmpdir(), 'cg-load-'));
  const embedded = folder ? await startEmbeddedPostgres({ dataDir: join(folder, 'pg'), persistent: false }) : undefined;
  const adminUrl = embedded?.url ?? process.env.DATABASE_URL!;
  const database = `cg_bench_${randomBytes(6).toString('hex')}`;
  await ensureDatabase(adminUrl, database);
  process.env.AUTH_SECRET ||= randomBytes(32).toString('base64url');
  process.env.ASSERTION_SECRET ||= randomBytes(32).toString('base64url');
  const graph = await startGraph({ databaseUrl: withDatabase(adminUrl, database) });
  try {
    const data = await generateBenchData(graph, { customers: Number(args.customers), orders: Number(args.orders) });
    const token = await signToken({ kind: 'staff', userId: 'bench', storeId: data.main.id }, { expiresIn: '24h' });
    const post = async (request: GraphRequest) => {
      const response = await fetch(graph.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(request),
      });
      const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
      if (!response.ok || body.errors?.length) throw new Error(JSON.stringify(body.errors ?? body).slice(0, 500));
      return body.data;
    };
    const ctx: BenchContext = { graph, data, request: post as BenchContext['request'] };
    const selected = scenarios([]).filter((s) => LOADS.includes(s.name) && (!args.only || s.name.includes(args.only)));
    const loads = await Promise.all(selected.map(async (s) => ({ name: s.name, ...(await s.prepare(ctx)) })));
    const concurrency = Number(args.concurrency);
    const run = async (requests: GraphRequest[], ms: number) => {
      let ops = 0;
      const deadline = performance.now() + ms;
      await Promise.all(
        Array.from({ length: concurrency }, async (_, worker) => {
          for (let i = worker; performance.now() < deadline; i += 1) {
            await post(requests[i % requests.length]!);
            ops += 1;
          }
        }),
      );
      return ops;
    };
    if (args.statements) {
      for (const load of loads) {
        for (const [name, subgraph] of Object.entries(graph.subgraphs)) {
          const captured = await subgraph.db.captureStatements(() => post(load.requests[0]!));
          for (const statement of captured) console.log(`${load.name} ${name}: ${statement.query.slice(0, 400)}`);
        }
      }
    }
    for (const load of loads) await run(load.requests, 3000);
    const session = new Session();
    if (args.profile) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
    }
    const statements = () =>
      Object.values(graph.subgraphs).reduce((sum, subgraph) => sum + subgraph.db.statementCount, 0);
    for (let round = 1; round <= Number(args.rounds); round += 1) {
      for (const load of loads) {
        const cpu = process.cpuUsage();
        const sql = statements();
        const t0 = performance.now();
        const ops = await run(load.requests, Number(args.seconds) * 1000);
        const seconds = (performance.now() - t0) / 1000;
        const used = process.cpuUsage(cpu);
        console.log(
          `${load.name.padEnd(50)} ${(ops / seconds).toFixed(1).padStart(6)} req/s  ${((used.user + used.system) / 1000 / ops).toFixed(2).padStart(6)} ms CPU/op (whole process)  SQL/op ${((statements() - sql) / ops).toFixed(1)}`,
        );
      }
    }
    if (args.profile) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(args.profile, JSON.stringify(profile));
      console.log(`\n${summarise(profile as never)}`);
    }
  } finally {
    await graph.close();
    await dropDatabase(adminUrl, database);
    await embedded?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  }
}

await main();
