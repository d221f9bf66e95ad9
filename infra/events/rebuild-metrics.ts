/**
 * `pnpm metrics:rebuild [--check-only]`: rebuilds the customer metrics projection from the
 * producers' outboxes, then compares it with their own figures. Connection strings as for the
 * subgraphs (<NAME>_DATABASE_URL or DATABASE_URL); by default the database of `pnpm start`.
 */
import { connect, databaseUrlFor } from '@cg/db';
import { customerSubgraph } from '@cg/customer';
import { commerceHistorySubgraph } from '@cg/commerce-history';
import { engagementSubgraph } from '@cg/engagement';
import { checkMetrics, rebuildMetrics } from './metrics.ts';

const fallback = 'postgres://postgres:postgres@127.0.0.1:54329/customer_graph';
const open = <T extends Record<string, unknown>>(definition: { name: string; tables: T }) =>
  connect({
    url: databaseUrlFor(definition.name) ?? fallback,
    schema: definition.tables,
    max: 2,
    applicationName: 'metrics-rebuild',
  });
const dbs = {
  customer: open(customerSubgraph),
  'commerce-history': open(commerceHistorySubgraph),
  engagement: open(engagementSubgraph),
};
try {
  if (!process.argv.includes('--check-only')) {
    const started = Date.now();
    const result = await rebuildMetrics(dbs);
    console.log(
      `Read ${result.events} events, replayed ${result.replayed} into the projection in ${Date.now() - started} ms` +
        (result.pending ? `; ${result.pending} not applied yet are left to live delivery.` : '.'),
    );
  }
  const { customers, mismatches } = await checkMetrics(dbs);
  console.log(`Checked ${customers} customers against the source subgraphs: ${mismatches.length} differ.`);
  for (const mismatch of mismatches.slice(0, 20)) console.log(JSON.stringify(mismatch));
  process.exitCode = mismatches.length ? 1 : 0;
} finally {
  await Promise.all(Object.values(dbs).map((db) => db.close()));
}
