import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '@cg/subgraph';
import { LegalDocumentType, LegalDocumentCategory } from './legal-document.enum.ts';

export { LegalDocumentType, LegalDocumentCategory };

registerEnumType(LegalDocumentType, { name: 'LegalDocumentType' });

registerEnumType(LegalDocumentCategory, { name: 'LegalDocumentCategory' });

@Directive('@key(fields: "id")')
@ObjectType({
  description: 'One published version of a legal document (Settings > Legal Documents). Versions are never rewritten.',
})
export class LegalDocument {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'Stable slug of the document series, e.g. "membership-agreement".' })
  key!: string;
  @Field(() => LegalDocumentType) type!: LegalDocumentType;
  @Field(() => LegalDocumentCategory) category!: LegalDocumentCategory;
  @Field(() => String) title!: string;
  @Field(() => Int, { description: '1, 2, 3... within the series.' }) version!: number;
  @Field(() => String, { nullable: true, description: 'The text; null when the document is published by URL.' })
  content!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Where the document is published; null when `content` holds it.',
  })
  url!: string | null;
  @Field(() => Date) effectiveAt!: Date;
  @Field(() => Boolean, { description: 'Customers must accept it (otherwise optional).' }) mandatory!: boolean;
  @Field(() => String, { description: 'Id of the staff user who published this version.' }) publishedBy!: string;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType()
export class LegalDocumentConnection extends Connection(LegalDocument) {}
