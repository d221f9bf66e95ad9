import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, Internal, Shopper } from '@cg/subgraph';
import { LegalDocumentType, LegalDocumentCategory } from './legal-document.enum.ts';

export { LegalDocumentType, LegalDocumentCategory };

registerEnumType(LegalDocumentType, { name: 'LegalDocumentType' });

registerEnumType(LegalDocumentCategory, { name: 'LegalDocumentCategory' });

@Directive('@key(fields: "id")')
@ObjectType({
  description: 'One published version of a legal document (Settings > Legal Documents). Versions are never rewritten.',
})
export class LegalDocument {
  @Shopper()
  @Field(() => ID)
  id!: string;
  @Shopper()
  @Field(() => String, { description: 'Stable slug of the document series, e.g. "membership-agreement".' })
  key!: string;
  @Shopper()
  @Field(() => LegalDocumentType)
  type!: LegalDocumentType;
  @Shopper()
  @Field(() => LegalDocumentCategory)
  category!: LegalDocumentCategory;
  @Shopper()
  @Field(() => String)
  title!: string;
  @Shopper()
  @Field(() => Int, { description: '1, 2, 3... within the series.' })
  version!: number;
  @Shopper()
  @Field(() => String, { nullable: true, description: 'The text; null when the document is published by URL.' })
  content!: string | null;
  @Shopper()
  @Field(() => String, {
    nullable: true,
    description: 'Where the document is published; null when `content` holds it.',
  })
  url!: string | null;
  @Shopper()
  @Field(() => Date)
  effectiveAt!: Date;
  @Shopper()
  @Field(() => Boolean, { description: 'Customers must accept it (otherwise optional).' })
  mandatory!: boolean;
  @Internal(null)
  @Field(() => String, {
    nullable: true,
    description: 'Id of the staff user who published this version; staff only (null for others).',
  })
  publishedBy!: string | null;
  @Shopper()
  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType()
export class LegalDocumentConnection extends Connection(LegalDocument) {}
