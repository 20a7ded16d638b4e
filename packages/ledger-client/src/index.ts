export * from './account-ids';
export * from './ledger-client';
export * from './service-token';
