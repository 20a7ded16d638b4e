export * as ledger from './generated/ledger';
