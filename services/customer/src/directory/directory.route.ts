import type { IncomingMessage, ServerResponse } from 'node:http';
import { and, eq } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import type { Database } from '@cg/db';
import { ErrorCode, sendJson } from '@cg/http';
import { actsFor, authenticate, zx, type BaseContext, type DirectoryAnswer } from '@cg/subgraph';
import { DIRECTORY_DELETED } from '@cg/events';
import { customers, stores, type tables } from '../db/schema/index.ts';

function refuse(res: ServerResponse, status: number, code: ErrorCode, message: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

/**
 * `GET /directory?customerId=…`: what the other subgraphs ask when a write names a customer their
 * directory does not have yet (@cg/subgraph's directory/directory.service.ts). The asking
 * subgraph passes on its caller's credentials, verified here as for any request, and the answer
 * is confined to the store they work in (a signed-in customer: to themselves), so nobody learns
 * through it more than they could read. 404 when the store has no such customer.
 */
export function directoryRoute(db: Database<typeof tables>) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    let ctx: BaseContext;
    try {
      ctx = await authenticate(req);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      const unauthenticated = error.extensions.code === ErrorCode.UNAUTHENTICATED;
      return refuse(
        res,
        unauthenticated ? 401 : 403,
        unauthenticated ? ErrorCode.UNAUTHENTICATED : ErrorCode.FORBIDDEN,
        error.message,
      );
    }
    if (ctx.principal.kind === 'guest') return refuse(res, 403, ErrorCode.FORBIDDEN, 'Guests have no customers');
    const customerId = url.searchParams.get('customerId') ?? '';
    if (!zx.id.safeParse(customerId).success)
      return refuse(res, 400, ErrorCode.BAD_USER_INPUT, 'customerId must be a customer id');
    const id = customerId.toLowerCase();
    const notFound = () => refuse(res, 404, ErrorCode.NOT_FOUND, `Customer ${id} was not found`);
    if (!actsFor(ctx, id)) return notFound();
    // One statement, one snapshot: the status, deletion and erasure as of the same moment.
    const [row] = await db.orm
      .select({
        storeId: customers.storeId,
        customerId: customers.id,
        status: customers.status,
        erasedAt: customers.erasedAt,
        deletedAt: customers.deletedAt,
        currency: stores.currency,
      })
      .from(customers)
      .innerJoin(stores, eq(stores.id, customers.storeId))
      .where(and(eq(customers.storeId, ctx.storeId), eq(customers.id, id)));
    if (!row) return notFound();
    const { deletedAt, ...entry } = row;
    // C5: a deleted profile answers as the directories' events mark it (`customer.deleted`).
    const answer: DirectoryAnswer = {
      ...entry,
      status: deletedAt && !entry.erasedAt ? DIRECTORY_DELETED : entry.status,
      erasedAt: entry.erasedAt?.toISOString() ?? null,
    };
    sendJson(res, 200, answer);
  };
}
