// Their values are also the database's enum types (db/schema.ts), in this order; permission.type.ts
// registers them for GraphQL.

export enum NotificationChannel {
  EMAIL = 'email',
  SMS = 'sms',
  PUSH = 'push',
  PHONE = 'phone',
}

export enum PermissionAction {
  GRANTED = 'granted',
  REVOKED = 'revoked',
}

export enum PermissionSource {
  REGISTRATION = 'registration',
  CHECKOUT = 'checkout',
  ADMIN = 'admin',
  IMPORT = 'import',
}

export enum PermissionRecorderKind {
  STAFF = 'staff',
  CUSTOMER = 'customer',
}
