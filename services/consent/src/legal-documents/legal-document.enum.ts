// Their values are also the database's enum types (db/schema.ts), in this order;
// legal-document.type.ts registers them for GraphQL.

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

export enum LegalDocumentCategory {
  LEGAL = 'legal',
  NOTIFICATION = 'notification',
  OTHER = 'other',
}
