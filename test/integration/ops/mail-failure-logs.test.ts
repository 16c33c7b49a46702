// A mail that cannot be sent (password-reset code, security notice) is logged through the app's
// pino logger, with its redaction, as one structured warning: masked address, the provider's
// code, never the secret, and nothing on stderr.
import { expect } from 'chai';
import { sendSecurityNotice } from '../../../src/notifications/security-notice.js';
import { createLogger } from '../../../src/observability/logger.js';
import { startMailCatcher, type MailCatcher } from '../../helpers/mail-catcher.js';
import { startServer, type TestServer } from '../../helpers/server.js';
import { newBrowser, submitEmail } from '../password-reset/reset-bench.js';

describe('ops: failed mail is logged through pino, without the secret', () => {
  const lines: string[] = [];
  const stderr: string[] = [];
  let mail: MailCatcher;
  let server: TestServer;
  const write = process.stderr.write.bind(process.stderr);
  before(async () => {
    mail = await startMailCatcher();
    server = await startServer({ env: mail.env(), logger: createLogger({ destination: { write: (line: string) => void lines.push(line) } }) });
  });
  beforeEach(() => {
    lines.length = 0;
    stderr.length = 0;
    process.stderr.write = ((chunk: string | Uint8Array) => stderr.push(String(chunk)) > 0) as typeof process.stderr.write;
  });
  afterEach(() => {
    process.stderr.write = write;
    mail.setFailure('none');
  });
  after(async () => {
    await server.close();
    await mail.stop();
  });

  const logged = async (message: string) => {
    for (let i = 0; i < 100; i++) {
      const line = lines.map((text) => JSON.parse(text) as Record<string, unknown>).find((entry) => entry.msg === message);
      if (line) return line;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no log line "${message}" in:\n${lines.join('')}`);
  };

  it('a password-reset code that the mail server refuses: one warning, no code, no address', async () => {
    const user = await server.createUser({ email: 'kim.park@clinic.test' });
    mail.setFailure('reject-recipient');
    await submitEmail(server, newBrowser(), user.email);
    const line = await logged('password reset code not sent');
    expect(line.level).to.equal(40);
    const text = JSON.stringify(line);
    expect(text).to.not.match(/\b\d{6}\b/);
    expect(text).to.not.include('kim.park@clinic.test');
    expect(stderr.join('')).to.equal('');
  });

  it('a security notice that the mail server refuses: one warning with the masked address', async () => {
    const user = await server.createUser({ email: 'dana.lee@clinic.test', name: 'Dana Lee' });
    mail.setFailure('reject-recipient');
    const sent = await sendSecurityNotice(server.idp.services, user, { subject: 'Your password was changed', summary: 'Your password was changed.', at: new Date() });
    expect(sent).to.equal(false);
    const line = await logged('security notice not sent');
    expect(line).to.include({ level: 40, subject: 'Your password was changed' });
    expect(line.to).to.be.a('string').and.not.include('dana.lee@');
    expect(JSON.stringify(line)).to.not.include('dana.lee@clinic.test');
    expect(stderr.join('')).to.equal('');
  });
});
