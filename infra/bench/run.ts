/**
 * `pnpm bench [--quick] [--customers N] [--orders M] [--iterations N] [--seconds S] [--warmup N]
 *             [--interleave] [--all-sorts] [--only TEXT[|TEXT…]] [--import N] [--import-batch N] [--out FILE]`
 *  `pnpm bench [--quick] --compression [--rounds N] [--batch N] [--concurrency N]`
 *
 * Starts PostgreSQL (an embedded server in a temporary folder, or a fresh `cg_bench_<random>`
 * database on DATABASE_URL's server, dropped at the end), the four subgraphs and the gateway,
 * fills the database with `data.ts`, then times each scenario of `scenarios.ts` one request at a
 * time through the gateway over HTTP with a real staff token: a warm-up, then up to N iterations
 * or S seconds. Prints a table and writes it as markdown (infra/bench/RESULTS.md by default).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ACCESS_HEADER, GATEWAY_HEADER, signGatewayAssertion, signToken } from '@cg/auth';
import { startGraph, type RunningGraph } from '@cg/graph';
import { compareCompression } from './compression.ts';
import { startBenchDatabase } from './database.ts';
import { generateBenchData, type GeneratedData } from './data.ts';
import {
  DEEP_PAGE,
  LIST_SORTS,
  ratios,
  scenarios,
  schemaSorts,
  type BenchContext,
  type GraphRequest,
  type ListSort,
  type Scenario,
} from './scenarios.ts';
import { cleanupsOnExit } from './cleanups.ts';
import { timeImport, type ImportResult } from './import.ts';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    large: { type: 'boolean', default: false },
    interleave: { type: 'boolean', default: false },
    'all-sorts': { type: 'boolean', default: false },
    'deep-page': { type: 'string' },
    customers: { type: 'string' },
    orders: { type: 'string' },
    iterations: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '10' },
    only: { type: 'string' },
    import: { type: 'string' },
    'import-batch': { type: 'string' },
    out: { type: 'string' },
    keep: { type: 'string' },
    compression: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    batch: { type: 'string' },
    concurrency: { type: 'string' },
  },
});

function count(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value.replace(/[_,]/g, ''));
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${name} must be a positive integer`);
  return parsed;
}

const preset = args.quick
  ? { customers: 10_000, orders: 100_000, deepPage: DEEP_PAGE }
  : args.large
    ? { customers: 1_000_000, orders: 10_000_000, deepPage: 1_000 }
    : { customers: 100_000, orders: 1_000_000, deepPage: DEEP_PAGE };
const sizes = {
  customers: count(args.customers, preset.customers, 'customers'),
  orders: count(args.orders, preset.orders, 'orders'),
};
const iterations = count(args.iterations, 200, 'iterations');
/** Orders imported after the reads are timed (O1); `--import 0` skips it, as `--only` does unless it names "import". */
const importBatch = count(args['import-batch'], 1_000, 'import-batch');
const importOrders =
  args.import === '0' || (args.only !== undefined && !args.only.split('|').some((part) => 'bulk import'.includes(part)))
    ? 0
    : count(args.import, args.quick ? 10_000 : 100_000, 'import');
const maxSeconds = count(args.seconds, 20, 'seconds');
const warmup = count(args.warmup, 10, 'warmup');
const interleave = args.interleave ?? false;
const deepPage = count(args['deep-page'], preset.deepPage, 'deep-page');
const outFile = resolve(args.out ?? join(import.meta.dirname, 'RESULTS.md'));

// ---- measuring --------------------------------------------------------------------------------

interface Result {
  name: string;
  note?: string;
  iterations: number;
  median: number;
  p95: number;
  p99: number;
  perSecond: number;
  /** SQL statements per request, per subgraph (averaged over the timed requests). */
  statements: Record<string, number>;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function statementCounts(graph: RunningGraph): Record<string, number> {
  return Object.fromEntries(
    Object.entries(graph.subgraphs).map(([name, subgraph]) => [name, subgraph.db.statementCount]),
  );
}

/** A scenario being timed: its requests and what the timed ones took. */
class Timing {
  readonly latencies: number[] = [];
  readonly statements: Record<string, number> = {};

  constructor(
    readonly scenario: Scenario,
    readonly requests: GraphRequest[],
    readonly note: string | undefined,
  ) {}

  get done() {
    return this.latencies.length >= iterations;
  }

  /** One request, timed, with the statements each subgraph sent meanwhile. */
  async once(ctx: BenchContext) {
    const request = this.requests[this.latencies.length % this.requests.length]!;
    const before = statementCounts(ctx.graph);
    const t0 = performance.now();
    await ctx.request(request);
    this.latencies.push(performance.now() - t0);
    for (const [name, n] of Object.entries(statementCounts(ctx.graph)))
      this.statements[name] = (this.statements[name] ?? 0) + n - before[name]!;
  }

  result(): Result {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const total = sorted.reduce((sum, latency) => sum + latency, 0);
    return {
      name: this.scenario.name,
      note: this.note,
      iterations: sorted.length,
      median: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      perSecond: (1000 * sorted.length) / total,
      statements: Object.fromEntries(Object.entries(this.statements).map(([name, n]) => [name, n / sorted.length])),
    };
  }
}

async function prepare(ctx: BenchContext, scenario: Scenario): Promise<Timing> {
  const prepared = await scenario.prepare(ctx);
  const timing = new Timing(scenario, prepared.requests, prepared.note);
  for (let i = 0; i < warmup; i += 1) await ctx.request(prepared.requests[i % prepared.requests.length]!);
  return timing;
}

function printResult(result: Result) {
  console.log(
    `${result.name.padEnd(52)} median ${ms(result.median).padStart(7)} ms  p95 ${ms(result.p95).padStart(7)}  p99 ${ms(result.p99).padStart(7)}  ${result.perSecond.toFixed(0).padStart(5)} req/s  SQL ${statementsText(result.statements)}`,
  );
}

/**
 * One request at a time. By default each scenario in turn: warm-up, then up to `iterations`
 * requests or `maxSeconds`. With `--interleave`, every scenario is prepared and warmed up first,
 * then timed in rounds of one request each, so that a busy machine slows all of them alike and
 * the ratios stay meaningful.
 */
async function measureAll(ctx: BenchContext, scenarios: Scenario[]): Promise<Result[]> {
  // Warms the JIT, the gateway's query plan cache and the pools before anything is timed.
  const first = await scenarios[0]?.prepare(ctx);
  for (let i = 0; first && i < 100; i += 1) await ctx.request(first.requests[i % first.requests.length]!);
  if (!interleave) {
    const results: Result[] = [];
    for (const scenario of scenarios) {
      const timing = await prepare(ctx, scenario);
      const deadline = performance.now() + maxSeconds * 1000;
      while (!timing.done && performance.now() < deadline) await timing.once(ctx);
      results.push(timing.result());
      printResult(results.at(-1)!);
    }
    return results;
  }
  const timings: Timing[] = [];
  for (const scenario of scenarios) timings.push(await prepare(ctx, scenario));
  const deadline = performance.now() + maxSeconds * 1000 * scenarios.length;
  while (timings.some((timing) => !timing.done) && performance.now() < deadline) {
    for (const timing of timings) if (!timing.done) await timing.once(ctx);
  }
  const results = timings.map((timing) => timing.result());
  results.forEach(printResult);
  return results;
}

// ---- reporting --------------------------------------------------------------------------------

const SHORT: Record<string, string> = { customer: 'cu', 'commerce-history': 'ch', engagement: 'en', consent: 'co' };

function statementsText(statements: Record<string, number>): string {
  const parts = Object.entries(statements)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${SHORT[name] ?? name} ${Number.isInteger(n) ? n : n.toFixed(1)}`);
  const total = Object.values(statements).reduce((sum, n) => sum + n, 0);
  return `${Number.isInteger(total) ? total : total.toFixed(1)} (${parts.join(', ')})`;
}

const ms = (value: number) => value.toFixed(1);

function resultRows(results: Result[]): string[][] {
  return results.map((r) => [
    r.name,
    ms(r.median),
    ms(r.p95),
    ms(r.p99),
    r.perSecond.toFixed(0),
    String(r.iterations),
    statementsText(r.statements),
    r.note ?? '',
  ]);
}

const RESULT_HEADER = ['scenario', 'median ms', 'p95 ms', 'p99 ms', 'req/s', 'n', 'SQL/request', 'note'];

function ratioRows(results: Result[], sorts: ListSort[]): string[][] {
  const byName = new Map(results.map((result) => [result.name, result]));
  return ratios(sorts, deepPage).flatMap((ratio) => {
    const numerator = byName.get(ratio.numerator);
    const denominator = byName.get(ratio.denominator);
    if (!numerator || !denominator) return [];
    return [[ratio.name, (numerator.median / denominator.median).toFixed(2), ratio.expect]];
  });
}

function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const numeric = (column: number) => rows.every((row) => /^[\d.,]*$/.test(row[column]!));
  const line = (row: string[]) =>
    row
      .map((cell, column) => (numeric(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

function markdownTable(header: string[], rows: string[][]): string {
  const numeric = header.map((_, column) => rows.every((row) => /^[\d.,]*$/.test(row[column]!)));
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `| ${numeric.map((isNumber) => (isNumber ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}

interface Machine {
  cpus: string;
  load: string;
  memory: string;
  node: string;
  postgres: string;
  date: string;
}

async function machine(graph: RunningGraph, loadAtStart: number[]): Promise<Machine> {
  let cpus = String(os.availableParallelism());
  try {
    cpus = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    // nproc is missing: keep Node's count.
  }
  const [row] = await graph.subgraphs.customer.db.sql<
    { version: string }[]
  >`select current_setting('server_version') as version`;
  return {
    cpus: `${cpus} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}`,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    load: `${loadAtStart[0]!.toFixed(2)} → ${os.loadavg()[0]!.toFixed(2)}`,
    node: process.version,
    postgres: `PostgreSQL ${row!.version}${process.env.DATABASE_URL ? ' (DATABASE_URL)' : ' (embedded)'}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

const IMPORT_HEADER = [
  'bulk import (importOrders)',
  'orders',
  'batches',
  'seconds',
  'orders/s',
  'median batch ms',
  'max batch ms',
];
const importRow = (result: ImportResult) => [
  `batches of ${result.batch}, one at a time`,
  result.orders.toLocaleString('en'),
  String(result.batches),
  result.seconds.toFixed(1),
  result.perSecond.toFixed(0),
  result.medianBatchMs.toFixed(0),
  result.maxBatchMs.toFixed(0),
];

function markdownReport(
  data: GeneratedData,
  results: Result[],
  sorts: ListSort[],
  host: Machine,
  imported?: ImportResult,
): string {
  const n = (value: number) => value.toLocaleString('en');
  return `# Benchmark results

\`${['pnpm bench', ...process.argv.slice(2)].join(' ')}\`${'  '}
${host.date} · ${host.cpus} · ${host.memory} RAM · Node ${host.node} · ${host.postgres} · 1-minute load average ${host.load} (start → end of timing)

Data: ${n(data.main.customers)} customers and ${n(data.main.orders)} orders in the measured store
(plus ${n(data.second.customers)} customers and ${n(data.second.orders)} orders in a second store),
generated in ${data.seconds.toFixed(1)} s.

| table | rows |
| --- | ---: |
${Object.entries(data.rows)
  .map(([table, rows]) => `| ${table} | ${n(rows)} |`)
  .join('\n')}

Requests are sent one at a time through the gateway over HTTP (${warmup} warm-up requests, then up to
${iterations} or ${maxSeconds} s${interleave ? '; scenarios interleaved, one request each per round' : ', one scenario after another'}). SQL/request counts statements per request in each subgraph
(cu customer, ch commerce-history, en engagement, co consent).

${markdownTable(RESULT_HEADER, resultRows(results))}

${markdownTable(['ratio of medians', 'value', 'healthy'], ratioRows(results, sorts))}
${imported ? `\nBulk intake, after the reads: each order recorded as \`recordOrder\` does it (events, audit), for the store's customers.\n\n${markdownTable(IMPORT_HEADER, [importRow(imported)])}\n` : ''}`;
}

// ---- running ----------------------------------------------------------------------------------

const GENERATED_FILE = 'generated.json';

/**
 * The data of a kept database (`--keep`), as its generating run described it, or newly generated
 * (and described in `keepIn` when given). A kept database of another size is an error rather than
 * a silent mismatch.
 */
async function keptOrGenerated(graph: RunningGraph, keptIn: string | undefined, keepIn: string | undefined) {
  if (keptIn && existsSync(join(keptIn, GENERATED_FILE))) {
    const data = JSON.parse(readFileSync(join(keptIn, GENERATED_FILE), 'utf8')) as GeneratedData;
    if (data.main.customers !== sizes.customers || data.main.orders !== sizes.orders)
      throw new Error(
        `${keptIn} holds ${data.main.customers} customers and ${data.main.orders} orders: give those sizes or another folder`,
      );
    console.log(`Data kept in ${keptIn}, generated at ${data.now} in ${data.seconds.toFixed(1)} s.`);
    return data;
  }
  if (keptIn) throw new Error(`${keptIn} has a database but no ${GENERATED_FILE}: its generation did not finish`);
  console.log(
    `Generating ${sizes.customers.toLocaleString('en')} customers and ${sizes.orders.toLocaleString('en')} orders…`,
  );
  const data = await generateBenchData(graph, { ...sizes, log: (line) => console.log(line) });
  console.log(`Generated in ${data.seconds.toFixed(1)} s.`);
  if (keepIn) writeFileSync(join(keepIn, GENERATED_FILE), JSON.stringify(data, null, 2));
  return data;
}

/** How long the assertions are reused: a gateway assertion lives a minute, an access assertion two. */
const ASSERTIONS_REUSE_MS = 30_000;

/**
 * The headers our gateway sends a subgraph for a staff token: the token, a gateway assertion and
 * the access assertion of `GET /access`, signed and looked up again every half minute.
 */
function subgraphHeaders(graph: RunningGraph, token: string): () => Promise<Record<string, string>> {
  let cached: { headers: Record<string, string>; at: number } | undefined;
  return async () => {
    if (cached && performance.now() - cached.at < ASSERTIONS_REUSE_MS) return cached.headers;
    const base = { authorization: `Bearer ${token}`, [GATEWAY_HEADER]: await signGatewayAssertion(token, {}) };
    const response = await fetch(new URL('/access', graph.subgraphs.customer.url), { headers: base });
    const body = (await response.json()) as { assertion?: string };
    if (!body.assertion) throw new Error(`No access assertion: ${JSON.stringify(body).slice(0, 300)}`);
    cached = { headers: { ...base, [ACCESS_HEADER]: body.assertion }, at: performance.now() };
    return cached.headers;
  };
}

async function main() {
  const cleanups = cleanupsOnExit();

  try {
    const keep = args.keep ? resolve(args.keep) : undefined;
    const database = await startBenchDatabase({ keepIn: keep });
    cleanups.push(() => database.close());
    console.log(`Database ${database.name} on ${database.where}; starting the graph…`);
    // Keys of this run only, as the tests have: its database and tokens are thrown away after it.
    process.env.AUTH_SECRET ||= randomBytes(32).toString('base64url');
    process.env.ASSERTION_SECRET ||= randomBytes(32).toString('base64url');
    process.env.CONTACT_HASH_SECRET ||= randomBytes(32).toString('base64url');
    const graph = await startGraph({ databaseUrl: database.url });
    cleanups.push(() => graph.close());

    const data = await keptOrGenerated(graph, database.kept ? keep : undefined, keep);

    const token = await signToken({ kind: 'staff', userId: 'bench', storeId: data.main.id }, { expiresIn: '24h' });
    const direct = subgraphHeaders(graph, token);
    const post = async <T>({ subgraph, ...request }: GraphRequest, bearer = token): Promise<T> => {
      const response = await fetch(subgraph ? graph.subgraphs[subgraph]!.url : graph.gateway.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(subgraph ? await direct() : { authorization: `Bearer ${bearer}` }),
        },
        body: JSON.stringify(request),
      });
      const body = (await response.json()) as { data?: T; errors?: unknown[] };
      if (!response.ok || body.errors?.length) {
        throw new Error(`HTTP ${response.status}: ${JSON.stringify(body.errors ?? body).slice(0, 1000)}`);
      }
      return body.data as T;
    };
    const ctx: BenchContext = { graph, data, request: (request) => post(request) };

    // Each store sees only its own customers (the second store holds the same people).
    const secondToken = await signToken(
      { kind: 'staff', userId: 'bench', storeId: data.second.id },
      { expiresIn: '1h' },
    );
    const total = (bearer: string) =>
      post<{ customers: { totalCount: number } }>({ query: '{ customers { totalCount } }' }, bearer).then(
        (d) => d.customers.totalCount,
      );
    const [mainTotal, secondTotal] = [await total(token), await total(secondToken)];
    if (mainTotal !== data.main.customers || secondTotal !== data.second.customers) {
      throw new Error(
        `Store scoping: ${mainTotal} and ${secondTotal} customers, expected ${data.main.customers} and ${data.second.customers}`,
      );
    }
    console.log(
      `Store scoping holds: ${mainTotal.toLocaleString('en')} and ${secondTotal.toLocaleString('en')} customers.\n`,
    );

    if (args.compression) {
      const loadAtStart = os.loadavg();
      const results = await compareCompression(ctx, token, {
        rounds: count(args.rounds, 10, 'rounds'),
        batch: count(args.batch, 50, 'batch'),
        concurrency: count(args.concurrency, 4, 'concurrency'),
      });
      const host = await machine(graph, loadAtStart);
      console.log(`${host.date} · ${host.cpus} · Node ${host.node} · load ${host.load} (start → end)\n`);
      console.log(
        textTable(
          ['Accept-Encoding', 'requests', 'req/s', 'median ms', 'bytes/response', 'compressing ms'],
          results.map((r) => [
            r.encoding,
            String(r.requests),
            r.perSecond.toFixed(1),
            ms(r.medianMs),
            r.meanBytes.toFixed(0),
            r.compressMs === undefined ? '' : r.compressMs.toFixed(3),
          ]),
        ),
      );
      return;
    }

    const available = await schemaSorts(ctx);
    const sorts = args['all-sorts'] ? available : LIST_SORTS;
    const unknown = sorts.filter((sort) => !available.some((s) => s.field === sort.field));
    if (unknown.length)
      throw new Error(`Not in the schema's CustomerSortField: ${unknown.map((sort) => sort.field).join(', ')}`);
    const untimed = [
      ...new Set(available.filter((sort) => !sorts.some((s) => s.field === sort.field)).map((sort) => sort.field)),
    ];
    if (untimed.length)
      console.log(`Sorts not timed (one line each in LIST_SORTS, or --all-sorts): ${untimed.join(', ')}.\n`);
    const all = scenarios(sorts, deepPage);
    // `--only "a|b"`: the scenarios whose name contains any of the parts, timed in one run.
    const parts = args.only?.split('|').filter(Boolean);
    const selected = parts ? all.filter((scenario) => parts.some((part) => scenario.name.includes(part))) : all;
    const loadAtStart = os.loadavg();
    const results = await measureAll(ctx, selected);
    const imported = importOrders ? await timeImport(ctx, importOrders, importBatch) : undefined;

    const host = await machine(graph, loadAtStart);
    console.log(
      `\n${host.date} · ${host.cpus} · ${host.memory} RAM · Node ${host.node} · ${host.postgres} · load ${host.load} (start → end)`,
    );
    console.log(
      `${sizes.customers.toLocaleString('en')} customers, ${sizes.orders.toLocaleString('en')} orders, generated in ${data.seconds.toFixed(1)} s\n`,
    );
    console.log(textTable(RESULT_HEADER, resultRows(results)));
    console.log(`\n${textTable(['ratio of medians', 'value', 'healthy'], ratioRows(results, sorts))}`);
    if (imported) console.log(`\n${textTable(IMPORT_HEADER, [importRow(imported)])}`);
    writeFileSync(outFile, markdownReport(data, results, sorts, host, imported));
    console.log(`\nWritten to ${relative(process.cwd(), outFile)}.`);
  } finally {
    await cleanups.run();
  }
}

await main();
