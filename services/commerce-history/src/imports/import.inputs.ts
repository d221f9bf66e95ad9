import { z } from 'zod';

/** O1: a sales platform sends at most this many orders per call. */
export const MAX_IMPORT_ROWS = 1000;

/** The rows themselves are checked one by one by single intake's schema, so a bad row fails alone. */
export const importOrdersSchema = z
  .array(z.unknown())
  .min(1, 'must hold at least one order')
  .max(MAX_IMPORT_ROWS, `must hold at most ${MAX_IMPORT_ROWS} orders`);
