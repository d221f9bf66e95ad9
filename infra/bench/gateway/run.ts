/**
 * `pnpm bench:gateway [--quick] [--customers N] [--orders M] [--rounds R] [--seconds S] [--warmup S]
 *                     [--concurrency 1,16] [--setups ours,apollo,hive,hive-rust,replay] [--out FILE]`
 *
 * Our gateway against its peers on the same subgraphs, in one run: PostgreSQL and the data as for
 * `pnpm bench`, the four subgraphs started once (a process each, production mode), then each setup
 * in its own process: ours, a stock @apollo/gateway, Hive Gateway with its JS and with its Rust
 * query planner, and the direct replay of our gateway's subgraph requests. Every setup must give
 * our body before anything is timed; then rounds interleave the setups. See ../README.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import postgres from 'postgres';
import { signToken } from '@cg/auth';
import { SUPERGRAPH_PATH } from '@cg/gateway';
import { startGraph, subgraphs } from '@cg/graph';
import { generateBenchData } from '../data.ts';
import { startBenchDatabase } from '../database.ts';
import { capturedOperation, startRecorder, stagesOf, type CapturedOperation } from './capture.ts';
import { PostgresCpu, processCpuMs } from './cpu.ts';
import { post, runLoad, target, type Target } from './load.ts';
import { benchOperations, type Operation } from './operations.ts';
import { benchOptions, type SetupName } from './options.ts';
import { startProcess, type BenchProcess } from './processes.ts';
import {
  CPU_ACCOUNTS,
  RATIO_HEADER,
  RESULT_HEADER,
  SETUP_LABELS,
  markdownTable,
  ratioRows,
  resultRows,
  summarize,
  textTable,
  type CpuAccount,
  type PhaseResult,
} from './report.ts';
import { verifySetup, type Sameness } from './verify.ts';
import { cleanupsOnExit } from '../cleanups.ts';

const options = benchOptions();
/** How many times each operation is recorded through our gateway to tell sequence from parallelism. */
const CAPTURE_RUNS = 3;
const WARMUP_CONCURRENCY = 4;

const ENTRIES: Record<SetupName, { entry: string; settings?: Record<string, unknown> }> = {
  ours: { entry: 'ours-process.ts' },
  apollo: { entry: 'apollo-process.ts' },
  hive: { entry: 'hive-process.ts', settings: { planner: 'js' } },
  'hive-rust': { entry: 'hive-process.ts', settings: { planner: 'rust' } },
  replay: { entry: 'replay-process.ts' },
};

/** The committed supergraph with the subgraph processes' URLs, for the peers (ours takes `subgraphUrls`). */
function supergraphWith(urls: Record<string, string>): string {
  return readFileSync(SUPERGRAPH_PATH, 'utf8').replace(
    /@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g,
    (whole, name: string) => (urls[name] ? `@join__graph(name: "${name}", url: "${urls[name]}")` : whole),
  );
}

async function main() {
  const cleanups = cleanupsOnExit();
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

  try {
    const folder = mkdtempSync(join(os.tmpdir(), 'cg-bench-gateway-'));
    cleanups.push(async () => rmSync(folder, { recursive: true, force: true }));
    const database = await startBenchDatabase();
    cleanups.push(() => database.close());
    // Keys of this run only: its database and tokens are thrown away after it.
    process.env.AUTH_SECRET ||= randomBytes(32).toString('base64url');
    process.env.ASSERTION_SECRET ||= randomBytes(32).toString('base64url');
    process.env.CONTACT_HASH_SECRET ||= randomBytes(32).toString('base64url');

    // The data is written through an in-process graph (data.ts fills each subgraph through its pool),
    // which is closed before the subgraph processes start.
    console.log(
      `Database ${database.name} on ${database.where}; generating ${options.customers.toLocaleString('en')} customers and ${options.orders.toLocaleString('en')} orders…`,
    );
    const loader = await startGraph({ databaseUrl: database.url });
    let operations: Operation[];
    let data;
    try {
      data = await generateBenchData(loader, { customers: options.customers, orders: options.orders });
      operations = await benchOperations(loader, data);
    } finally {
      await loader.close();
    }
    console.log(`Generated in ${data.seconds.toFixed(1)} s. Starting the subgraphs (${elapsed()})…`);

    const env = { DATABASE_URL: database.url };
    const subgraphProcesses: BenchProcess[] = [];
    cleanups.push(() => Promise.all(subgraphProcesses.map((p) => p.stop())));
    const [customerDefinition, ...others] = subgraphs;
    const customer = await startProcess(
      customerDefinition.name,
      'subgraph-process.ts',
      { name: customerDefinition.name, databaseUrl: database.url },
      env,
    );
    subgraphProcesses.push(customer);
    subgraphProcesses.push(
      ...(await Promise.all(
        others.map((definition) =>
          startProcess(
            definition.name,
            'subgraph-process.ts',
            { name: definition.name, databaseUrl: database.url, customerUrl: customer.url },
            env,
          ),
        ),
      )),
    );
    const subgraphUrls = Object.fromEntries(subgraphProcesses.map((p) => [p.name, p.url]));
    const supergraphPath = join(folder, 'supergraph.graphql');
    writeFileSync(supergraphPath, supergraphWith(subgraphUrls));

    const token = await signToken({ kind: 'staff', userId: 'bench', storeId: data.main.id }, { expiresIn: '24h' });
    const headers = { authorization: `Bearer ${token}` };

    // Our gateway's subgraph requests, recorded through proxies, then the answers every setup must give.
    console.log(`Recording our gateway's subgraph requests (${elapsed()})…`);
    const recorder = await startRecorder(subgraphUrls);
    const captured: CapturedOperation[] = [];
    const expected = new Map<string, string>();
    try {
      const recording = await startProcess(
        'ours (recording)',
        'ours-process.ts',
        { subgraphUrls: recorder.urls, supergraphPath },
        env,
      );
      try {
        const to = target(recording.url);
        for (const operation of operations) {
          for (const body of operation.bodies) {
            await post(to, body, headers); // plans and pools warm
            recorder.take();
            const runs = [];
            let response = '';
            for (let run = 0; run < CAPTURE_RUNS; run += 1) {
              const answer = await post(to, body, headers);
              response = answer.body.toString('utf8');
              if (answer.status !== 200 || response.includes('"errors"'))
                throw new Error(`Our gateway answered HTTP ${answer.status}: ${response.slice(0, 1000)}`);
              runs.push(recorder.take());
            }
            captured.push(capturedOperation(body, response, runs));
            expected.set(body, response);
          }
        }
        to.agent.destroy();
      } finally {
        await recording.stop();
      }
    } finally {
      await recorder.close();
    }
    const capturePath = join(folder, 'captured.json');
    writeFileSync(capturePath, JSON.stringify(captured));
    const plans = operations.map((operation) => {
      const first = captured.find((c) => c.request === operation.bodies[0])!;
      return { operation: operation.name, stages: stagesOf(first), calls: first.calls.length };
    });
    for (const plan of plans)
      console.log(
        `  ${plan.operation}: ${plan.calls} subgraph requests in ${plan.stages.length} stages: ${plan.stages.map((s) => `[${s.join(', ')}]`).join(' → ')}`,
      );

    console.log(`Starting ${options.setups.map((s) => SETUP_LABELS[s]).join(', ')} (${elapsed()})…`);
    const setups = new Map<SetupName, { process: BenchProcess; to: Target }>();
    cleanups.push(() => Promise.all([...setups.values()].map((s) => s.process.stop())));
    for (const name of options.setups) {
      const { entry, settings } = ENTRIES[name];
      const child = await startProcess(
        SETUP_LABELS[name],
        entry,
        { subgraphUrls, supergraphPath, capturePath, storeId: data.main.id, ...settings },
        env,
      );
      setups.set(name, { process: child, to: target(child.url) });
    }

    // The same answer everywhere, or nothing is timed.
    const sameness = new Map<SetupName, Sameness>();
    for (const [name, setup] of setups) {
      const how = await verifySetup(name, setup.to, expected, headers);
      sameness.set(name, how);
      console.log(`  ${SETUP_LABELS[name]}: same answers as ours (${how})`);
    }

    const sampler = postgres(database.url, { max: 1, onnotice: () => {} });
    cleanups.push(() => sampler.end());
    const pgCpu = new PostgresCpu(sampler);

    console.log(`Warming up (${options.warmupSeconds} s per setup and operation, ${elapsed()})…`);
    for (const [, setup] of setups)
      for (const operation of operations)
        await runLoad(setup.to, operation.bodies, headers, WARMUP_CONCURRENCY, options.warmupSeconds);

    const names = [...setups.keys()];
    const results: PhaseResult[] = [];
    const loadAtStart = os.loadavg();
    for (let round = 1; round <= options.rounds; round += 1) {
      console.log(`Round ${round} of ${options.rounds} (${elapsed()})`);
      for (const operation of operations) {
        for (const concurrency of options.concurrency) {
          // Each round starts with another setup, so none is always first or last.
          const order = names.map((_, i) => names[(i + round - 1) % names.length]!);
          for (const name of order) {
            const setup = setups.get(name)!;
            const pids: Record<Exclude<CpuAccount, 'postgres' | 'client'>, number> = {
              gateway: setup.process.pid,
              ...(Object.fromEntries(subgraphProcesses.map((p) => [p.name, p.pid])) as Record<string, number>),
            } as never;
            const before = Object.fromEntries(
              Object.entries(pids).map(([account, pid]) => [account, processCpuMs(pid)]),
            );
            const pgBefore = await pgCpu.sample();
            const clientBefore = process.cpuUsage();
            const load = await runLoad(setup.to, operation.bodies, headers, concurrency, options.seconds);
            const clientSpent = process.cpuUsage(clientBefore);
            const pgAfter = await pgCpu.sample();
            const cpu = Object.fromEntries(
              Object.entries(pids).map(([account, pid]) => {
                const [from, to] = [before[account], processCpuMs(pid)];
                return [account, from === undefined || to === undefined ? undefined : to - from];
              }),
            ) as Record<CpuAccount, number | undefined>;
            cpu.postgres = PostgresCpu.spent(pgBefore, pgAfter);
            cpu.client = (clientSpent.user + clientSpent.system) / 1000;
            results.push({ setup: name, operation: operation.name, concurrency, round, load, cpu });
            console.log(
              `  ${operation.name}, c=${concurrency}, ${SETUP_LABELS[name]}: ${(load.ok / load.seconds).toFixed(1)} req/s, ${load.ok} ok, ${load.failed} failed${load.firstFailure ? ` (${load.firstFailure.slice(0, 200)})` : ''}`,
            );
          }
        }
      }
    }

    const summaries = summarize(results);
    const rows = resultRows(summaries);
    const ratios = ratioRows(summaries);
    const host = {
      cpus: `${os.availableParallelism()} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}`,
      memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
      load: `${loadAtStart[0]!.toFixed(2)} → ${os.loadavg()[0]!.toFixed(2)}`,
      postgres: (await sampler<{ v: string }[]>`select current_setting('server_version') as v`)[0]!.v,
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    const equality = [...sameness].map(([name, how]) => `${SETUP_LABELS[name]}: ${how}`).join('; ');
    const heading = `${host.date} · ${host.cpus} · ${host.memory} RAM · Node ${process.version} · PostgreSQL ${host.postgres} (${database.where}) · 1-minute load ${host.load} (start → end of timing)`;
    const dataLine = `${data.main.customers.toLocaleString('en')} customers and ${data.main.orders.toLocaleString('en')} orders in the measured store, generated in ${data.seconds.toFixed(1)} s. ${options.rounds} round(s) of ${options.seconds} s per setup, operation and concurrency, after ${options.warmupSeconds} s of warm-up each.`;
    console.log(`\n${heading}\n${dataLine}\nSame answers: ${equality}.\n`);
    console.log(textTable(RESULT_HEADER, rows));
    console.log(`\n${textTable(RATIO_HEADER, ratios)}`);
    writeFileSync(
      options.out,
      `# Gateway benchmark results

\`${['pnpm bench:gateway', ...options.argv].join(' ')}\`${'  '}
${heading}

${dataLine}

${operations.map((operation) => `- **${operation.name}**: ${operation.note}.`).join('\n')}

Our gateway's subgraph requests, as recorded and replayed (stages run one after another, the requests of a stage in parallel):

${plans.map((plan) => `- ${plan.operation}: ${plan.calls} requests: ${plan.stages.map((s) => s.join(', ')).join(' → ')}`).join('\n')}

Every setup answered every request as ours did before timing (${equality}).
CPU is per operation, in ms, by process: ${CPU_ACCOUNTS.join(', ')} (the replay's own process in parentheses; PG is the PostgreSQL backends of the bench database; client is the load generator).

${markdownTable(RESULT_HEADER, rows)}

${markdownTable(RATIO_HEADER, ratios)}
`,
    );
    console.log(`\nWritten to ${relative(process.cwd(), options.out)} (${elapsed()} in all).`);
    for (const setup of setups.values()) setup.to.agent.destroy();
  } finally {
    await cleanups.run();
  }
}

await main();
