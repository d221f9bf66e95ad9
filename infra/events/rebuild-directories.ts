/**
 * `pnpm directory:rebuild`: rebuilds the customer directories of commerce-history, engagement and
 * consent from the customer subgraph's outbox. Connection strings as for the subgraphs
 * (<NAME>_DATABASE_URL or DATABASE_URL); by default the database of `pnpm start`.
 */
import { connect, databaseUrlFor } from '@cg/db';
import { rebuildDirectories, type DirectoryDatabases } from './directories.ts';

const fallback = 'postgres://postgres:postgres@127.0.0.1:54329/customer_graph';
const open = (name: keyof DirectoryDatabases) =>
  connect({ url: databaseUrlFor(name) ?? fallback, schema: {}, max: 2, applicationName: 'directory-rebuild' });
const dbs: DirectoryDatabases = {
  customer: open('customer'),
  'commerce-history': open('commerce-history'),
  engagement: open('engagement'),
  consent: open('consent'),
};
try {
  const started = Date.now();
  for (const [name, result] of Object.entries(await rebuildDirectories(dbs))) {
    console.log(
      `${name}: read ${result.events} events, replayed ${result.replayed}` +
        (result.pending ? `; ${result.pending} not applied yet are left to live delivery.` : '.'),
    );
  }
  console.log(`Rebuilt in ${Date.now() - started} ms.`);
} finally {
  await Promise.all(Object.values(dbs).map((db) => db.close()));
}
