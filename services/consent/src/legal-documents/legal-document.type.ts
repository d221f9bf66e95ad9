import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '@cg/subgraph';

/** What a document is; S0 groups the customer's permissions as legal, notification and other. */
export enum LegalDocumentType {
  MEMBERSHIP_AGREEMENT = 'membership_agreement',
  PRIVACY_NOTICE = 'privacy_notice',
  EXPLICIT_CONSENT = 'explicit_consent',
  COMMERCIAL_COMMUNICATION = 'commercial_communication',
  COOKIE_POLICY = 'cookie_policy',
  TERMS_OF_SALE = 'terms_of_sale',
  OTHER = 'other',
}
registerEnumType(LegalDocumentType, { name: 'LegalDocumentType' });

export enum LegalDocumentCategory {
  LEGAL = 'legal',
  NOTIFICATION = 'notification',
  OTHER = 'other',
}
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
