// Browser-safe helpers: nothing here may import node: modules or server code.
export { formatMoney, currencyDecimals } from '../core/money.ts';
