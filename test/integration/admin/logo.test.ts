// The practice's logo: an admin uploads a PNG, JPEG or WebP (checked by its first bytes, at most
// 100 KB), it is served with its own type, `nosniff` and a CSP that runs nothing, shown on the
// practice's pages (admin and /account) and not on another practice's; SVG, a renamed HTML file
// and an oversized image are refused next to the field; no CSRF token, no upload; a clinician
// cannot upload; setting and removing are audited.
import { expect } from 'chai';
import { field } from '../../helpers/browser.js';
import { PASSWORD, startAdminBench, type AdminBench } from './admin-bench.js';
import { openSignedIn } from '../account/bench.js';
import { Browser } from '../../helpers/browser.js';

// The smallest valid PNG (1×1, transparent).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

describe('admin: practice logo', () => {
  let ctx: AdminBench;
  before(async () => { ctx = await startAdminBench('off'); });
  after(() => ctx?.close());

  async function upload(bytes: Buffer, options: { csrf?: boolean; type?: string; browser?: Browser; token?: string } = {}): Promise<Response> {
    const browser = options.browser ?? ctx.browser;
    const form = new FormData();
    if (options.csrf !== false) form.append('_csrf', options.token ?? await ctx.csrf());
    form.append('logo', new Blob([bytes], { type: options.type ?? 'image/png' }), 'logo.png');
    const cookie = [...browser.cookies()].map(([name, value]) => `${name}=${value}`).join('; ');
    return fetch(ctx.url('/admin/branding/logo'), { method: 'POST', redirect: 'manual', headers: { cookie, 'x-forwarded-for': '203.0.113.50' }, body: form });
  }
  const practice = () => ctx.bench.server.models.Practice.findById(ctx.practiceId).lean();

  it('refuses SVG, a file that is not an image whatever it claims, and one over 100 KB, next to the field; stores nothing', async () => {
    const cases: Array<[Buffer, string, string]> = [
      [SVG, 'image/svg+xml', 'must be a PNG, JPEG or WebP image'],
      [Buffer.from('<html><script>alert(1)</script></html>'), 'image/png', 'must be a PNG, JPEG or WebP image'],
      [Buffer.concat([PNG, Buffer.alloc(100 * 1024)]), 'image/png', 'must be at most 100 KB'],
    ];
    for (const [bytes, type, message] of cases) {
      const response = await upload(bytes, { type });
      expect(response.status, message).to.equal(400);
      const html = await response.text();
      expect(html).to.include(message).and.match(/<input id="logo"[^>]* aria-invalid="true" aria-describedby="logo-error"/);
    }
    expect(await ctx.bench.server.models.PracticeLogo.countDocuments({})).to.equal(0);
    expect((await practice())!.logoDigest).to.equal(undefined);
    expect(await ctx.audited('admin.practice.logo_changed')).to.have.length(0);
  });

  it('refuses an upload without the CSRF token, and from a clinician', async () => {
    expect((await upload(PNG, { csrf: false })).status).to.equal(403);
    const clinician = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'cal@seaside.test', name: 'Cal Clinician', password: PASSWORD });
    const browser = new Browser({ from: '203.0.113.51' });
    const page = await openSignedIn(ctx.bench, browser, clinician);
    const refused = await upload(PNG, { browser, token: field(page.html, '_csrf') });
    expect(refused.status).to.be.oneOf([303, 403]);
    expect(await ctx.bench.server.models.PracticeLogo.countDocuments({})).to.equal(0);
  });

  it('saves a PNG, serves it safely, shows it on the practice\'s pages only, and audits it; removing it is audited too', async () => {
    const done = await upload(PNG);
    expect(done.status).to.equal(303);
    const { logoDigest } = (await practice())!;
    const url = `/practice-logo/${String(ctx.practiceId)}/${logoDigest}`;
    const image = await fetch(ctx.url(url));
    expect(image.status).to.equal(200);
    expect(image.headers.get('content-type')).to.equal('image/png');
    expect(image.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(image.headers.get('content-security-policy')).to.equal("default-src 'none'; sandbox");
    expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).to.equal(true);
    expect((await fetch(ctx.url(`/practice-logo/${String(ctx.otherPracticeId)}/${logoDigest}`))).status).to.equal(404);

    const adminPage = await ctx.browser.get(ctx.url('/admin/security'));
    expect(adminPage.html).to.include(`<img class="practice-logo" src="${url}" alt="Seaside Clinic logo"`);
    const nurse = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'nia@seaside.test', name: 'Nia Nurse', password: PASSWORD });
    expect((await openSignedIn(ctx.bench, new Browser({ from: '203.0.113.52' }), nurse)).html).to.include(`src="${url}"`);
    const outsider = await ctx.bench.server.createUser({ practiceId: ctx.otherPracticeId, email: 'otto@hilltop.test', name: 'Otto Other', password: PASSWORD });
    expect((await openSignedIn(ctx.bench, new Browser({ from: '203.0.113.53' }), outsider)).html).not.to.include('practice-logo/');

    const [entry] = await ctx.audited('admin.practice.logo_changed');
    expect(entry).to.deep.include({ actor: { sub: ctx.admin.sub, role: 'admin' }, details: { before: null, after: { type: 'image/png', bytes: PNG.length, digest: logoDigest } } });

    const removed = await ctx.post('/admin/branding/logo/remove');
    expect((await ctx.browser.follow(removed)).html).to.include('Logo removed.').and.not.include('practice-logo/');
    expect((await fetch(ctx.url(url))).status).to.equal(404);
    expect((await ctx.audited('admin.practice.logo_changed')).at(-1)!.details).to.deep.equal({ before: { type: 'image/png', bytes: PNG.length, digest: logoDigest }, after: null });
  });
});
