import { checkKeys, MissingKeysError } from '@cg/auth';
import { startGateway } from './gateway.ts';

try {
  checkKeys();
} catch (error) {
  if (!(error instanceof MissingKeysError)) throw error;
  console.error(`The gateway cannot start. ${error.message}`);
  process.exit(1);
}

/** Runs the gateway alone; subgraph URLs come from `<NAME>_URL` (e.g. COMMERCE_HISTORY_URL) or the supergraph. */
const names = ['customer', 'commerce-history', 'engagement', 'consent'];
const subgraphUrls = Object.fromEntries(
  names.flatMap((name) => {
    const url = process.env[`${name.toUpperCase().replace(/-/g, '_')}_URL`];
    return url ? [[name, url]] : [];
  }),
);
const gateway = await startGateway({
  subgraphUrls,
  port: Number(process.env.PORT ?? 4000),
  host: process.env.HOST ?? '0.0.0.0',
});
console.log(`gateway at ${gateway.url}`);
const stop = () =>
  gateway.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
