export * as certificates from './generated/certificates';
export * as gateway from './generated/gateway';
export * as ledger from './generated/ledger';
export * as notifications from './generated/notifications';
export * as registry from './generated/registry';
export * as settlement from './generated/settlement';
