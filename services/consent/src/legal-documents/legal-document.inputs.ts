import { Field, InputType } from 'type-graphql';
import { z } from 'zod';
import { zx } from '@cg/subgraph';
import { LegalDocumentCategory, LegalDocumentType } from './legal-document.type.ts';

@InputType({ description: 'Publishes the next version of the series `key` (version 1 when the key is new).' })
export class PublishLegalDocumentInput {
  @Field(() => String, {
    description: 'Slug of the series: lowercase letters, digits and dashes, e.g. "membership-agreement".',
  })
  key!: string;
  @Field(() => LegalDocumentType, { description: 'Must match the earlier versions of the series.' })
  type!: LegalDocumentType;
  @Field(() => LegalDocumentCategory, {
    nullable: true,
    description: 'Default LEGAL; must match the earlier versions of the series.',
  })
  category?: LegalDocumentCategory | null;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true, description: 'The text; give exactly one of `content` and `url`.' }) content?:
    string | null;
  @Field(() => String, { nullable: true, description: 'An http(s) address; give exactly one of `content` and `url`.' })
  url?: string | null;
  @Field(() => Date, { nullable: true, description: 'Default: now.' }) effectiveAt?: Date | null;
  @Field(() => Boolean, { nullable: true, description: 'Default false (optional to accept).' }) mandatory?:
    boolean | null;
}

@InputType()
export class LegalDocumentFilter {
  @Field(() => LegalDocumentCategory, { nullable: true }) category?: LegalDocumentCategory | null;
  @Field(() => LegalDocumentType, { nullable: true }) type?: LegalDocumentType | null;
  @Field(() => String, { nullable: true, description: 'Only the versions of this series.' }) key?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Only the newest version of each series.' }) latestOnly?:
    boolean | null;
}

// ---- zod: the rules behind the GraphQL shapes ----

const documentKey = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'must not be empty')
  .max(100)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'must be lowercase letters and digits separated by single dashes' });

export const publishLegalDocumentSchema = z
  .object({
    key: documentKey,
    type: z.enum(LegalDocumentType),
    category: z.enum(LegalDocumentCategory).nullish(),
    title: z.string().trim().min(1, 'must not be empty').max(200),
    content: zx.optionalText(500_000),
    url: z.httpUrl({ message: 'must be an http(s) address' }).max(2000).nullish(),
    effectiveAt: z.date().nullish(),
    mandatory: z.boolean().nullish(),
  })
  .superRefine((data, ctx) => {
    if (Boolean(data.content) === Boolean(data.url)) {
      const message = data.content ? 'give either content or url, not both' : 'content or url is required';
      ctx.addIssue({ code: 'custom', path: ['content'], message });
      ctx.addIssue({ code: 'custom', path: ['url'], message });
    }
  });

export const legalDocumentFilterSchema = z
  .object({
    category: z.enum(LegalDocumentCategory).nullish(),
    type: z.enum(LegalDocumentType).nullish(),
    key: documentKey.nullish(),
    latestOnly: z.boolean().nullish(),
  })
  .nullish();
