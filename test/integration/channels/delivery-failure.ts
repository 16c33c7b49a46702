// Shared expectations for channel failures: the promise rejects with a DeliveryError, and nothing a
// user or an operator reads holds the code or the full recipient.
import { expect } from 'chai';
import { DeliveryError } from '../../../src/mfa/channels/channel.js';

/** The rejection of a promise, failing the test if it resolves. */
export async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const result = await promise.then(() => undefined, (err: unknown) => err);
  expect(result, 'expected a DeliveryError').to.be.instanceOf(DeliveryError);
  return result as DeliveryError;
}

/** None of `secrets` (the code, the recipient in its forms) may appear in the error. */
export function expectNothingSecret(err: DeliveryError, secrets: readonly string[]): void {
  for (const text of [err.message, err.userMessage, String(err.stack)]) {
    for (const secret of secrets) expect(text).not.to.include(secret);
  }
  expect(err.cause).to.equal(undefined);
}
