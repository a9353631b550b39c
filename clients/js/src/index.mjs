// @tributary/gateway-client: pay a Tributary provider's gateway through a payment channel.
export { VOUCHER_DOMAIN, VOUCHER_HEADER, voucherHeader, voucherPayload } from './voucher.mjs';
export { TributaryClient } from './client.mjs';
export { dispatchErrorName, openChannel, readChannel, topUp } from './chain.mjs';
