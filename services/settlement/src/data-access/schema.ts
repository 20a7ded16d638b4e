export const SETTLEMENT_SCHEMA = 'settlement';
