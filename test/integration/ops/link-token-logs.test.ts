// A set-password link carries its secret in the URL path. The request log line (and the error
// line of a failed request) must name the route, never the token itself.
import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { createLogger } from '../../../src/observability/logger.js';
import { Browser } from '../../helpers/browser.js';
import { startServer, type TestServer } from '../../helpers/server.js';

describe('ops: link tokens stay out of the logs', () => {
  const lines: string[] = [];
  let server: TestServer;
  before(async () => {
    const logger = createLogger({ destination: { write: (line: string) => void lines.push(line) } });
    server = await startServer({ logger });
  });
  after(() => server.close());

  it('an invitation link, used or not, leaves no token in any log line', async () => {
    const user = await server.createUser({ email: 'invited@clinic.test' });
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    await server.models.PasswordToken.create({
      _id: createHash('sha256').update(token).digest('base64url'), purpose: 'invitation', userSub: user.sub,
      createdAt: new Date(now + 60_000), expiresAt: new Date(now + 3_600_000),
    });
    const unknown = randomBytes(32).toString('base64url');
    const browser = new Browser();
    expect((await browser.get(server.url(`/password-reset/invitation/${token}`))).status).to.equal(200);
    expect((await browser.get(server.url(`/password-reset/invitation/${unknown}`))).status).to.equal(400);

    const logged = lines.join('\n');
    expect(logged).to.include('/password-reset/invitation/');
    expect(logged).to.not.include(token);
    expect(logged).to.not.include(unknown);
  });
});
