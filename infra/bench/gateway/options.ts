/** The command line of `pnpm bench:gateway` (see ../README.md#gateways-pnpm-benchgateway). */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const SETUP_NAMES = ['ours', 'apollo', 'hive', 'hive-rust', 'replay'] as const;
export type SetupName = (typeof SETUP_NAMES)[number];

export interface BenchOptions {
  customers: number;
  orders: number;
  rounds: number;
  /** Length of one timed run of one setup, operation and concurrency. */
  seconds: number;
  /** Untimed load on each setup and operation before the first round. */
  warmupSeconds: number;
  concurrency: number[];
  setups: SetupName[];
  out: string;
  argv: string[];
}

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value.replace(/[_,]/g, ''));
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive number`);
  return parsed;
}

function integer(value: string | undefined, fallback: number, name: string): number {
  const parsed = positive(value, fallback, name);
  if (!Number.isInteger(parsed)) throw new Error(`--${name} must be a positive integer`);
  return parsed;
}

export function benchOptions(argv = process.argv.slice(2)): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      customers: { type: 'string' },
      orders: { type: 'string' },
      rounds: { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      concurrency: { type: 'string' },
      setups: { type: 'string' },
      out: { type: 'string' },
    },
  });
  // --quick is a smoke run: a smaller store, one short round.
  const preset = values.quick
    ? { customers: 2_000, orders: 20_000, rounds: 1, seconds: 2, warmup: 1 }
    : { customers: 10_000, orders: 100_000, rounds: 3, seconds: 15, warmup: 3 };
  const setups = (values.setups?.split(',').map((name) => name.trim()) ?? [...SETUP_NAMES]) as SetupName[];
  const unknown = setups.filter((name) => !SETUP_NAMES.includes(name));
  if (unknown.length) throw new Error(`--setups: unknown ${unknown.join(', ')} (known: ${SETUP_NAMES.join(', ')})`);
  if (!setups.includes('ours')) setups.unshift('ours');
  const concurrency = (values.concurrency ?? '1,16').split(',').map((n) => integer(n.trim(), 1, 'concurrency'));
  return {
    customers: integer(values.customers, preset.customers, 'customers'),
    orders: integer(values.orders, preset.orders, 'orders'),
    rounds: integer(values.rounds, preset.rounds, 'rounds'),
    seconds: positive(values.seconds, preset.seconds, 'seconds'),
    warmupSeconds: positive(values.warmup, preset.warmup, 'warmup'),
    concurrency,
    setups,
    out: resolve(values.out ?? join(import.meta.dirname, '..', 'GATEWAY-RESULTS.md')),
    argv,
  };
}
