export { startTestGraph, eventually, type TestGraph, type TestStore, type GraphQLResponse, type RequestOptions } from './graph.ts';
