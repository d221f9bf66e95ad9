/**
 * Bulk intake throughput (O1): `importOrders` through the gateway, batches (`--import-batch`, 1,000)
 * sent one after another, into the main store's customers. Each run numbers its orders afresh (a random prefix),
 * so a kept data set (`--keep`) times new orders again rather than the already-recorded path.
 */
import { randomInt } from 'node:crypto';
import type { BenchContext } from './scenarios.ts';

const IMPORT_MUTATION = `mutation BenchImport($orders: [RecordOrderInput!]!) {
  importOrders(orders: $orders) { recorded alreadyRecorded failed }
}`;

export interface ImportResult {
  orders: number;
  batch: number;
  batches: number;
  seconds: number;
  perSecond: number;
  medianBatchMs: number;
  maxBatchMs: number;
}

export async function timeImport(ctx: BenchContext, total: number, batch: number): Promise<ImportResult> {
  const customers = (
    await ctx.graph.subgraphs.customer!.db.sql<{ id: string }[]>`
      select id::text as id from customer.customers
      where store_id = ${ctx.data.main.id} and status = 'active' and erased_at is null order by id limit 1000`
  ).map((row) => row.id);
  const prefix = Array.from({ length: 3 }, () => String.fromCharCode(65 + randomInt(26))).join('');
  const row = (n: number) => ({
    number: `I${prefix}${String(n).padStart(6, '0')}`,
    customerId: customers[n % customers.length],
    channel: 'MARKETPLACE',
    platform: 'Bench import',
    currency: ctx.data.main.currency,
    items: Array.from({ length: 1 + (n % 3) }, (_, line) => ({
      productId: `IMP-${(n + line) % 40}`,
      sku: `IMP-${(n + line) % 40}`,
      name: `Imported product ${(n + line) % 40}`,
      quantity: 1 + (line % 2),
      unitPrice: 990 + 100 * line,
    })),
    shipping: n % 4 === 0 ? 490 : 0,
  });
  const batchMs: number[] = [];
  const started = performance.now();
  for (let first = 0; first < total; first += batch) {
    const orders = Array.from({ length: Math.min(batch, total - first) }, (_, i) => row(first + i));
    const sent = performance.now();
    const { importOrders } = await ctx.request<{ importOrders: { recorded: number; failed: number } }>({
      query: IMPORT_MUTATION,
      variables: { orders },
    });
    batchMs.push(performance.now() - sent);
    if (importOrders.recorded !== orders.length)
      throw new Error(`Import batch from ${first}: ${importOrders.recorded} of ${orders.length} recorded`);
  }
  const seconds = (performance.now() - started) / 1000;
  const sorted = [...batchMs].sort((a, b) => a - b);
  return {
    orders: total,
    batch,
    batches: batchMs.length,
    seconds,
    perSecond: total / seconds,
    medianBatchMs: sorted[Math.floor(sorted.length / 2)]!,
    maxBatchMs: sorted[sorted.length - 1]!,
  };
}
