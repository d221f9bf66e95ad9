import { requestRole, STORE_SETTING, type CapturedStatement, type Database } from '@cg/db';

export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Every node of a plan, depth first. */
export function planNodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(planNodes)];
}

/**
 * EXPLAIN of a statement a request sent (from `captureStatements`), planned as the request ran it:
 * as the subgraph's request role in `scope.storeId`, under row-level security, where only
 * leakproof conditions can be index conditions. Without a scope, as the tables' owner.
 */
export async function explain(
  db: Database,
  statement: CapturedStatement,
  scope?: { schema: string; storeId: string },
): Promise<PlanNode> {
  const [explained] = await db.sql.begin(async (tx) => {
    if (scope)
      await tx`select set_config('role', ${requestRole(scope.schema)}, true), set_config(${STORE_SETTING}, ${scope.storeId}, true)`;
    return tx.unsafe(`explain (format json) ${statement.query}`, statement.parameters as never[]);
  });
  return (explained as unknown as { 'QUERY PLAN': { Plan: PlanNode }[] })['QUERY PLAN'][0]!.Plan;
}
