// Their values are also the database's enum types (db/schema/messages.ts), in this order;
// message.type.ts registers them for GraphQL.

export enum MessageChannel {
  EMAIL = 'email',
  SMS = 'sms',
}

/** Marketing needs the channel's consent in the store (C18); transactional goes always. */
export enum MessagePurpose {
  MARKETING = 'marketing',
  TRANSACTIONAL = 'transactional',
}

/** GDPR art. 6(1): marketing on the customer's consent, transactional to perform the contract. */
export enum LawfulBasis {
  CONSENT = 'consent',
  CONTRACT = 'contract',
}

export enum MessageStatus {
  QUEUED = 'queued',
  SENT = 'sent',
  FAILED = 'failed',
}
