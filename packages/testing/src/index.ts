export { startTestGraph, eventually, type TestGraph, type TestStore, type TestRole, type GraphQLResponse, type RequestOptions } from './graph.ts';
