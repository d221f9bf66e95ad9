import { toDomainEvent, type DomainEvent, type EventType, type SubgraphName } from '@cg/events';
import type { TestGraph } from './graph.ts';

/** Each subgraph's schema, where its outbox lives. */
const SCHEMA: Record<SubgraphName, string> = {
  customer: 'customer',
  'commerce-history': 'commerce_history',
  engagement: 'engagement',
  consent: 'consent',
};

/**
 * The events `producer` recorded, oldest first, as delivery hands them to consumers: for tests that
 * apply an event again (a redelivery, a replay under another id) or read what it carried.
 */
export async function outboxEvents<T extends EventType>(
  graph: TestGraph,
  producer: SubgraphName,
  where: { type: T | T[]; storeId?: string; customerId?: string; orderId?: string },
): Promise<DomainEvent<T>[]> {
  const { sql } = graph.graph.subgraphs[producer]!.db;
  const types: string[] = Array.isArray(where.type) ? where.type : [where.type];
  const rows = await sql`select * from ${sql(SCHEMA[producer])}.outbox
    where type in ${sql(types)}
      and (${where.storeId ?? null}::uuid is null or store_id = ${where.storeId ?? null}::uuid)
      and (${where.customerId ?? null}::uuid is null or customer_id = ${where.customerId ?? null}::uuid)
      and (${where.orderId ?? null}::text is null or payload->>'orderId' = ${where.orderId ?? null}::text)
    order by seq`;
  return rows.map(
    (row) =>
      toDomainEvent(producer, {
        seq: Number(row.seq),
        id: row.id,
        type: row.type,
        storeId: row.store_id,
        customerId: row.customer_id,
        payload: row.payload,
        occurredAt: new Date(row.occurred_at),
        publishedAt: row.published_at,
      }) as DomainEvent<T>,
  );
}
