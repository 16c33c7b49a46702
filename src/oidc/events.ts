// Provider events worth an operator's attention. Messages only: never tokens, codes or bodies.
// (The audit log of a later issue subscribes here too.)
import type { Provider } from 'oidc-provider';
import type { Logger } from '../observability/logger.js';

/** The app's logger (src/observability/logger.ts), the part the provider's events use. */
export type EventLogger = Pick<Logger, 'warn' | 'error'>;

export function logProviderEvents(provider: Provider, logger: EventLogger): void {
  provider.on('server_error', (_ctx, err: Error) => logger.error(`[oidc] server error: ${err.name}: ${err.message}`));
  provider.on('backchannel.error', (_ctx, err: Error, client: { clientId: string }) =>
    logger.warn(`[oidc] back-channel logout to client ${client.clientId} failed: ${err.message}`));
}
