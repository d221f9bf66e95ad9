import { pgSchema } from 'drizzle-orm/pg-core';

export const customerSchema = pgSchema('customer');

