// Review of the write-behind of an authorization request (src/oidc/write-behind.ts): the interaction
// a resume ends is written as an expired record at the request's END, with the code. oidc-provider
// deleted it right after reading it. A replay sent at the same moment (the same cookies twice: a
// double submit, a copied cookie jar) must still get one code for one sign-in.
import { expect } from 'chai';
import { Browser } from '../../helpers/browser.js';
import { REDIRECT_URI, exchange, relyingParty, startAuthorization, submitLogin, type RelyingParty } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';

const PASSWORD = 'Correct horse, battery 9 staples';

describe('review: a resume replayed in parallel', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let email: string;

  before(async () => {
    server = await startServer();
    email = (await server.createUser({ email: 'replay@clinic.test', password: PASSWORD })).email;
    await server.createClient({ clientId: 'charting', authMethod: 'none', firstParty: true, redirectUris: [REDIRECT_URI] });
    rp = await relyingParty(server, 'charting');
  });
  after(async () => {
    await server.close();
    await server.store.close();
  });

  const codeOf = (location: string | null | undefined) => (location?.startsWith(REDIRECT_URI) ? new URL(location).searchParams.get('code') : null);

  it('two resumes sent at once with the same cookies: one code, not two', async () => {
    for (let round = 0; round < 3; round++) {
      const browser = new Browser();
      const start = await startAuthorization(rp);
      const login = await browser.follow(await browser.get(start.url.href), rp.redirectUri);
      const posted = await submitLogin(browser, login, email, PASSWORD);
      const resume = posted.location!;
      const twin = browser.copy();
      const answers = await Promise.all([browser.get(resume), twin.get(resume)]);
      const codes = answers.map((answer) => codeOf(answer.location)).filter((code): code is string => Boolean(code));
      expect(codes, `round ${round}: ${answers.map((a) => `${a.status} ${a.location ?? a.html.slice(0, 120)}`).join(' | ')}`).to.have.length(1);
      // The other is refused whole: no redirect, no cookie naming records that were not written.
      const loser = answers.find((answer) => !codeOf(answer.location));
      expect(loser, 'the other request is refused').to.not.equal(undefined);
      expect(loser!.location ?? '', 'no redirect to the app').to.not.include(REDIRECT_URI);
      // Refused as a used sign-in page (400, start again), not as a server error.
      if (loser!.status !== 400 || !loser!.html.includes('already used')) expect.fail(`round ${round}: the refused resume answered ${loser!.status}: ${loser!.html.slice(0, 200)}`);
      // The one code answered is stored and exchanged.
      const winner = answers.find((answer) => codeOf(answer.location))!;
      expect((await exchange(rp, start, new URL(winner.location!))).id_token).to.be.a('string');
    }
  });
});
