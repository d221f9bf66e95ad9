import { Arg, Args, Ctx, ID, Mutation, Query, Resolver, Authorized } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { PageArgs, Caller } from '@cg/subgraph';
import type { ConsentContext } from '../context.ts';
import { LegalDocument, LegalDocumentConnection } from './legal-document.type.ts';
import { LegalDocumentFilter, PublishLegalDocumentInput } from './legal-document.inputs.ts';

@Resolver(() => LegalDocument)
export class LegalDocumentResolver {
  @Authorized(StaffAction.CUSTOMERS_READ, Caller.CUSTOMER)
  @Query(() => LegalDocument, { nullable: true })
  legalDocument(@Arg('id', () => ID) id: string, @Ctx() ctx: ConsentContext) {
    return ctx.legalDocuments.get(id);
  }

  @Authorized(StaffAction.CUSTOMERS_READ, Caller.CUSTOMER)
  @Query(() => LegalDocumentConnection, { description: "The store's legal document versions, newest published first." })
  legalDocuments(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => LegalDocumentFilter, { nullable: true }) filter: LegalDocumentFilter | null,
    @Ctx() ctx: ConsentContext,
  ) {
    return ctx.legalDocuments.list({ ...page, filter });
  }

  @Authorized(StaffAction.CONSENTS_MANAGE)
  @Mutation(() => LegalDocument, {
    description: 'Publishes the next version of a document series; earlier versions stay as they are.',
  })
  publishLegalDocument(
    @Arg('input', () => PublishLegalDocumentInput) input: PublishLegalDocumentInput,
    @Ctx() ctx: ConsentContext,
  ) {
    return ctx.legalDocuments.publish(input);
  }
}
