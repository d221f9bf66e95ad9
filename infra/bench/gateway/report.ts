/** The results of `pnpm bench:gateway`: summed over rounds, as a text table and as markdown. */
import type { LoadResult } from './load.ts';
import type { SetupName } from './options.ts';

export const SETUP_LABELS: Record<SetupName, string> = {
  ours: 'ours (startGateway)',
  apollo: 'stock @apollo/gateway',
  hive: 'Hive Gateway, JS planner',
  'hive-rust': 'Hive Gateway, Rust planner',
  replay: 'direct replay, no gateway',
};

/** CPU accounts: the setup's own process, each subgraph process, PostgreSQL's backends, the load generator. */
export const CPU_ACCOUNTS = [
  'gateway',
  'customer',
  'commerce-history',
  'engagement',
  'consent',
  'postgres',
  'client',
] as const;
export type CpuAccount = (typeof CPU_ACCOUNTS)[number];

const SHORT: Record<CpuAccount, string> = {
  gateway: 'gateway',
  customer: 'cu',
  'commerce-history': 'ch',
  engagement: 'en',
  consent: 'co',
  postgres: 'PG',
  client: 'client',
};

export interface PhaseResult {
  setup: SetupName;
  operation: string;
  concurrency: number;
  round: number;
  load: LoadResult;
  /** ms of CPU during the phase; undefined where it could not be read. */
  cpu: Record<CpuAccount, number | undefined>;
}

interface Summary {
  setup: SetupName;
  operation: string;
  concurrency: number;
  perSecond: number;
  rounds: number[];
  p50: number;
  p99: number;
  ok: number;
  failed: number;
  cpuPerOp: Record<CpuAccount, number | undefined>;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summarize(results: PhaseResult[]): Summary[] {
  const groups = new Map<string, PhaseResult[]>();
  for (const result of results) {
    const key = `${result.operation}\n${result.concurrency}\n${result.setup}`;
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  return [...groups.values()].map((phases) => {
    const ok = phases.reduce((sum, phase) => sum + phase.load.ok, 0);
    const seconds = phases.reduce((sum, phase) => sum + phase.load.seconds, 0);
    const latencies = phases.flatMap((phase) => phase.load.latencies).sort((a, b) => a - b);
    const cpuPerOp = Object.fromEntries(
      CPU_ACCOUNTS.map((account) => {
        const spent = phases.map((phase) => phase.cpu[account]);
        return [
          account,
          spent.some((ms) => ms === undefined) || !ok ? undefined : spent.reduce((a, b) => a! + b!, 0)! / ok,
        ];
      }),
    ) as Record<CpuAccount, number | undefined>;
    return {
      setup: phases[0]!.setup,
      operation: phases[0]!.operation,
      concurrency: phases[0]!.concurrency,
      perSecond: ok / seconds,
      rounds: phases.map((phase) => phase.load.ok / phase.load.seconds),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      ok,
      failed: phases.reduce((sum, phase) => sum + phase.load.failed, 0),
      cpuPerOp,
    };
  });
}

const fixed = (value: number | undefined, digits = 1) =>
  value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits);

export const RESULT_HEADER = [
  'operation',
  'c',
  'setup',
  'req/s',
  'req/s by round',
  'p50 ms',
  'p99 ms',
  'failed',
  ...CPU_ACCOUNTS.map((account) => `${SHORT[account]} CPU ms/op`),
  'subgraphs + PG CPU ms/op',
];

export function resultRows(summaries: Summary[]): string[][] {
  return summaries.map((s) => {
    const backend = (['customer', 'commerce-history', 'engagement', 'consent', 'postgres'] as const).map(
      (account) => s.cpuPerOp[account],
    );
    return [
      s.operation,
      String(s.concurrency),
      SETUP_LABELS[s.setup],
      fixed(s.perSecond),
      s.rounds.map((r) => r.toFixed(1)).join(' / '),
      fixed(s.p50),
      fixed(s.p99),
      String(s.failed),
      ...CPU_ACCOUNTS.map((account) =>
        s.setup === 'replay' && account === 'gateway'
          ? `(${fixed(s.cpuPerOp[account], 2)})`
          : fixed(s.cpuPerOp[account], 2),
      ),
      backend.some((ms) => ms === undefined)
        ? '—'
        : fixed(
            backend.reduce((a, b) => a! + b!, 0),
            2,
          ),
    ];
  });
}

export const RATIO_HEADER = [
  'operation',
  'c',
  'ours against',
  'req/s: ours ÷ it',
  'p50: ours ÷ it',
  'gateway CPU/op: ours ÷ it',
];

export function ratioRows(summaries: Summary[]): string[][] {
  const ours = summaries.filter((s) => s.setup === 'ours');
  return ours.flatMap((mine) =>
    summaries
      .filter((s) => s.setup !== 'ours' && s.operation === mine.operation && s.concurrency === mine.concurrency)
      .map((peer) => [
        mine.operation,
        String(mine.concurrency),
        SETUP_LABELS[peer.setup],
        fixed(mine.perSecond / peer.perSecond, 2),
        fixed(mine.p50 / peer.p50, 2),
        peer.setup === 'replay' ? '—' : fixed((mine.cpuPerOp.gateway ?? NaN) / (peer.cpuPerOp.gateway ?? NaN), 2),
      ]),
  );
}

export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const numeric = (column: number) => rows.every((row) => /^[\d.,—() /]*$/.test(row[column]!));
  const line = (row: string[]) =>
    row
      .map((cell, column) => (numeric(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function markdownTable(header: string[], rows: string[][]): string {
  const numeric = header.map((_, column) => rows.every((row) => /^[\d.,—() /]*$/.test(row[column]!)));
  return [
    `| ${header.join(' | ')} |`,
    `| ${numeric.map((isNumber) => (isNumber ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`),
  ].join('\n');
}
