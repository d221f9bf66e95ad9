import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { PageArgs } from '@cg/subgraph';
import type { ConsentContext } from '../context.ts';
import { LegalDocument, LegalDocumentConnection } from './legal-document.type.ts';
import { LegalDocumentFilter, PublishLegalDocumentInput } from './legal-document.inputs.ts';

@Resolver(() => LegalDocument)
export class LegalDocumentResolver {
  @Query(() => LegalDocument, { nullable: true })
  legalDocument(@Arg('id', () => ID) id: string, @Ctx() ctx: ConsentContext) {
    return ctx.legalDocuments.get(id);
  }

  @Query(() => LegalDocumentConnection, { description: "The store's legal document versions, newest published first." })
  legalDocuments(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => LegalDocumentFilter, { nullable: true }) filter: LegalDocumentFilter | null,
    @Ctx() ctx: ConsentContext,
  ) {
    return ctx.legalDocuments.list({ ...page, filter });
  }

  @Mutation(() => LegalDocument, { description: 'Publishes the next version of a document series; earlier versions stay as they are.' })
  publishLegalDocument(
    @Arg('input', () => PublishLegalDocumentInput) input: PublishLegalDocumentInput,
    @Ctx() ctx: ConsentContext,
  ) {
    return ctx.legalDocuments.publish(input);
  }
}
