export * as gateway from './generated/gateway';
export * as ledger from './generated/ledger';
export * as registry from './generated/registry';
