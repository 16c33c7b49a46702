// Client IP truth: X-Forwarded-For counts only when the connection comes from a configured proxy.
// Two instances share one store (same users, trusted IPs, known devices and networks): "proxied"
// trusts 127.0.0.1 (the test's own socket) as its proxy, "direct" trusts only 10.0.0.0/8, so the
// same header from the same socket is honoured by one and ignored by the other.
import { expect } from 'chai';
import type { Types } from 'mongoose';
import { auditEntryModel } from '../../../src/store/models/audit-entry.js';
import { Browser } from '../../helpers/browser.js';
import { finishAt, isCodePage, passwordStep, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';

const PASSWORD = 'A long harbor passphrase 7';
const OFFICE = '203.0.113.0/24';

describe('security: client IP truth (spoofed X-Forwarded-For)', () => {
  let proxied: MfaBench;
  let direct: MfaBench;
  let multiHop: MfaBench;
  let practiceId: Types.ObjectId;

  before(async () => {
    proxied = await startMfaBench({ mfaPolicy: 'risk' });
    const shared = { mail: proxied.mail, sms: proxied.sms };
    direct = await startMfaBench({ store: proxied.server.store, shared, env: { TRUSTED_PROXIES: '10.0.0.0/8' } });
    multiHop = await startMfaBench({ store: proxied.server.store, shared, env: { TRUSTED_PROXIES: '127.0.0.1,10.0.0.0/8' } });
    practiceId = (await proxied.server.createPractice({ mfaPolicy: 'risk' }))._id;
    await proxied.server.idp.mfa.trustedIps.add({ practiceId, entry: OFFICE, description: 'Office' });
  });
  after(async () => {
    await direct.close();
    await multiHop.close();
    await proxied.close();
  });

  const newUser = (email: string) => proxied.server.createUser({ practiceId, email, password: PASSWORD });

  it('a trusted office IP in X-Forwarded-For skips the code only through the configured proxy', async () => {
    const user = await newUser('office.ip@clinic.test');
    const viaProxy = await passwordStep(new Browser({ from: '203.0.113.9' }), proxied.charting, user.email, PASSWORD);
    expect(isCodePage(viaProxy.page), 'honoured from the proxy').to.equal(false);

    const spoofed = await passwordStep(new Browser({ from: '203.0.113.9' }), direct.charting, user.email, PASSWORD);
    expect(isCodePage(spoofed.page), 'ignored from an untrusted peer').to.equal(true);
    await proxied.mail.nextTo(user.email);
    const entry = await auditEntryModel(direct.server.connection).findOne({ userSub: user.sub, event: 'mfa.required' }).lean();
    expect(entry?.ip).to.equal('127.0.0.1');
    expect(entry?.reasons).to.include('new_ip');
  });

  it('a known network (with a known device) is known only through the configured proxy', async () => {
    const user = await newUser('known.net@clinic.test');
    const laptop = new Browser({ from: '198.51.100.60' });
    const first = await passwordStep(laptop, proxied.charting, user.email, PASSWORD);
    const { code } = await proxied.mail.nextTo(user.email);
    await finishAt(laptop, first, proxied.charting, await submitCode(laptop, first.page, code!));

    // A new session from the same /24 on the same device: known, so no code...
    laptop.cookies().forEach((_, name) => { if (!name.startsWith('idp.device')) laptop.cookies().delete(name); });
    laptop.from = '198.51.100.61';
    expect(isCodePage((await passwordStep(laptop, proxied.charting, user.email, PASSWORD)).page), 'known via proxy').to.equal(false);

    // ...but the same header and device cookie straight from an untrusted peer is not that network.
    laptop.cookies().forEach((_, name) => { if (!name.startsWith('idp.device')) laptop.cookies().delete(name); });
    const spoofed = await passwordStep(laptop, direct.charting, user.email, PASSWORD);
    expect(isCodePage(spoofed.page), 'not known from an untrusted peer').to.equal(true);
    const entry = await auditEntryModel(direct.server.connection).findOne({ userSub: user.sub, event: 'mfa.required', ip: '127.0.0.1' }).lean();
    expect(entry?.reasons).to.include('new_ip').and.not.include('new_device');
    await proxied.mail.nextTo(user.email);
  });

  it('several hops: the rightmost address that is not a trusted proxy is the client; what the client wrote to its left is ignored', async () => {
    const user = await newUser('hops@clinic.test');
    // The client claims the office IP; the outer proxy (10.0.0.7) saw 198.51.100.5.
    const claimsOffice = await passwordStep(new Browser({ from: '203.0.113.9, 198.51.100.5, 10.0.0.7' }), multiHop.charting, user.email, PASSWORD);
    expect(isCodePage(claimsOffice.page)).to.equal(true);
    await proxied.mail.nextTo(user.email);
    // The office really is the client: the proxies 10.0.0.7 and 10.1.2.3 are skipped.
    const fromOffice = await passwordStep(new Browser({ from: '192.0.2.1, 203.0.113.9, 10.1.2.3, 10.0.0.7' }), multiHop.charting, user.email, PASSWORD);
    expect(isCodePage(fromOffice.page)).to.equal(false);
    // A garbled hop: only what the server saw itself counts (127.0.0.1, not the office).
    const garbled = await passwordStep(new Browser({ from: '203.0.113.9, not-an-ip' }), multiHop.charting, user.email, PASSWORD);
    expect(isCodePage(garbled.page)).to.equal(true);
    await proxied.mail.nextTo(user.email);
  });
});
