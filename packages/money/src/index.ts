export { Money, type AllocationWeight } from './money';
export { MoneyDecimal, type DecimalInput } from './decimal';
export { MONEY_PATTERN, MoneyFormatError, isMoneyString, type MoneyFormatReason } from './pattern';
