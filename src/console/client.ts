// The provider's own pages for a signed-in person (account settings under /account, practice
// administration under /admin) sign in through the provider like any module, as a first-party
// client registered in code. It asks for `response_type=none`: nothing is issued to it, the
// authorization request only brings the browser session to the level the page needs (a sign-in,
// the MFA level, a fresh sign-in), with every rule of the sign-in pipeline applied on the way.
import type { ClientMetadata } from 'oidc-provider';

export const CONSOLE_CLIENT_ID = 'ehr-idp-console';
export const CONSOLE_CLIENT_NAME = 'your account';
export const CONSOLE_RETURN_PATH = '/console/return';

export function consoleClientMetadata(issuer: string): ClientMetadata {
  return {
    client_id: CONSOLE_CLIENT_ID,
    client_name: CONSOLE_CLIENT_NAME,
    application_type: 'web',
    response_types: ['none'],
    grant_types: [],
    redirect_uris: [new URL(CONSOLE_RETURN_PATH, issuer).href],
    token_endpoint_auth_method: 'none',
    first_party: true,
  };
}
