import { customerSubgraph } from '@cg/customer';
import { commerceHistorySubgraph } from '@cg/commerce-history';
import { engagementSubgraph } from '@cg/engagement';
import { consentSubgraph } from '@cg/consent';

/** The four subgraphs, in the order the supergraph lists them. */
export const subgraphs = [customerSubgraph, commerceHistorySubgraph, engagementSubgraph, consentSubgraph] as const;

export type SubgraphName = (typeof subgraphs)[number]['name'];

export const defaultSubgraphUrl = (definition: { defaultPort: number }) =>
  `http://localhost:${definition.defaultPort}/graphql`;
