import { expect, it } from 'vitest';
import { EVENT_ROUTES, type EventType } from '@cg/events';
import { subgraphs } from '@cg/graph';

/**
 * The catalog's routes are what the relay queues. A route to a subgraph without a handler would
 * queue jobs its consumer drops; a handler without a route would never be fed live (only by a
 * replay). So each subgraph's handlers and the events routed to it must be the same set.
 */
it.each(subgraphs.map((definition) => [definition.name, definition] as const))(
  'routes to %s exactly the events it handles',
  (name, definition) => {
    const routed = (Object.keys(EVENT_ROUTES) as EventType[])
      .filter((type) => (EVENT_ROUTES[type] as string[]).includes(name))
      .sort();
    const handled = Object.keys(definition.events?.consumer?.handlers ?? {}).sort();
    expect(handled).toEqual(routed);
  },
);

it('names the events nobody consumes yet, which stay in their outbox', () => {
  const producedSomewhere = subgraphs
    .filter((definition) => definition.events?.outbox)
    .map((definition) => definition.name);
  expect(producedSomewhere.sort()).toEqual(['commerce-history', 'consent', 'customer', 'engagement']);
  const unconsumed = (Object.keys(EVENT_ROUTES) as EventType[])
    .filter((type) => EVENT_ROUTES[type].length === 0)
    .sort();
  expect(unconsumed).toEqual(['coupon.redeemed', 'payment.recorded']);
});
