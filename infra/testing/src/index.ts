export {
  startTestGraph,
  eventually,
  type TestGraph,
  type TestStore,
  type TestRole,
  type GraphQLResponse,
  type RequestOptions,
} from './graph.ts';
export { explain, planNodes, type PlanNode } from './explain.ts';
