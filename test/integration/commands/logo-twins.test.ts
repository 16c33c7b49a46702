// The practice logo is one command (src/commands/practice-logo.ts) behind the admin upload and the
// operator's `practices logo`: both store the same image under the same digest, refuse the same
// files with the same sentence and store nothing then, and leave the same audit details (only the
// actor differs); removing a logo the practice does not have changes and records nothing on either.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startTwinBench, type TwinBench } from './bench.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
const REFUSED = 'must be a PNG, JPEG or WebP image';

describe('commands: the practice logo from the admin page and the CLI', function () {
  this.timeout(60_000);
  let t: TwinBench;
  const dir = mkdtempSync(join(tmpdir(), 'logo-twins-'));
  before(async () => { t = await startTwinBench(); });
  after(() => t.close());

  /** Sets (bytes) or removes (null) the logo on one surface; the page's status or the CLI's output. */
  async function setLogo(surface: 'admin' | 'cli', bytes: Buffer | null): Promise<{ ok: boolean; text: string }> {
    const practice = String(t.practiceId);
    if (surface === 'cli') {
      const file = join(dir, `logo-${Date.now()}-${Math.random()}`);
      if (bytes) writeFileSync(file, bytes);
      const result = await t.cli(['practices', 'logo', '--practice', practice, ...(bytes ? ['--file', file] : ['--remove'])]);
      return { ok: result.code === 0, text: result.stdout + result.stderr };
    }
    if (!bytes) {
      const response = await t.post('/admin/branding/logo/remove', {});
      return { ok: response.status === 303, text: response.location ?? '' };
    }
    const form = new FormData();
    form.append('_csrf', await t.csrf());
    form.append('logo', new Blob([bytes], { type: 'image/png' }), 'logo.png');
    const cookie = [...t.browser.cookies()].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(t.url('/admin/branding/logo'), { method: 'POST', redirect: 'manual', headers: { cookie, 'x-forwarded-for': '203.0.113.50' }, body: form });
    return { ok: response.status === 303, text: await response.text() };
  }

  const logoTrail = async () => (await t.trail()).filter((entry) => entry.event === 'admin.practice.logo_changed');
  const stored = async () => ({
    digest: (await t.bench.server.models.Practice.findById(t.practiceId).lean())?.logoDigest ?? null,
    images: await t.bench.server.models.PracticeLogo.countDocuments({}),
  });

  it('refuses an SVG on both surfaces with the same sentence, storing and auditing nothing', async () => {
    for (const surface of ['admin', 'cli'] as const) {
      const result = await setLogo(surface, SVG);
      expect(result.ok, surface).to.equal(false);
      expect(result.text, surface).to.include(REFUSED);
    }
    expect(await stored()).to.deep.equal({ digest: null, images: 0 });
    expect(await logoTrail()).to.deep.equal([]);
  });

  it('sets and removes the logo alike: the same digest stored, the same audit details, nothing when there is nothing to remove', async () => {
    const digests: Record<string, unknown> = {};
    for (const surface of ['admin', 'cli'] as const) {
      expect((await setLogo(surface, PNG)).ok, surface).to.equal(true);
      digests[surface] = (await stored()).digest;
      expect((await setLogo(surface, null)).ok, surface).to.equal(true);
      expect(await stored(), surface).to.deep.equal({ digest: null, images: 0 });
      expect((await setLogo(surface, null)).ok, `${surface} again`).to.equal(true);
    }
    expect(digests.admin).to.be.a('string').and.equal(digests.cli);
    const facts = { type: 'image/png', bytes: PNG.length, digest: digests.admin };
    const trail = await logoTrail();
    expect(trail).to.deep.equal(['admin', 'operator'].flatMap((actor) => [
      { event: 'admin.practice.logo_changed', actor, details: { before: null, after: facts } },
      { event: 'admin.practice.logo_changed', actor, details: { before: facts, after: null } },
    ]));
  });

  it('the CLI asks for exactly one of --file and --remove', async () => {
    for (const args of [[], ['--remove', '--file', join(dir, 'x.png')]]) {
      const result = await t.cli(['practices', 'logo', '--practice', String(t.practiceId), ...args]);
      expect(result.code).to.equal(2);
      expect(result.stderr).to.include('give either --file PATH or --remove');
    }
  });
});
