// The audit log in a practice manager's words: every event has a label, user agents become
// "browser on system", details become labelled lines (never JSON), filter days follow the zone.
import { expect } from 'chai';
import { AUDIT_EVENTS } from '../../../src/audit/events.js';
import { detailLines } from '../../../src/admin/audit/details.js';
import { eventLabel, outcomeLabel, reasonLabel } from '../../../src/admin/audit/labels.js';
import { AUDIT_OUTCOMES } from '../../../src/audit/events.js';
import { LANGUAGES } from '../../../src/i18n/languages.js';
import { withLanguage } from '../../../src/i18n/request.js';
import { dayEndIn, dayStartIn } from '../../../src/admin/audit/time.js';
import { browserAndSystem } from '../../../src/admin/audit/user-agent.js';

describe('audit log words', () => {
  for (const language of LANGUAGES) {
    it(`labels every event and outcome in plain words in ${language} (no dots, no underscores), each label once`, () => withLanguage(language, () => {
      for (const event of AUDIT_EVENTS) expect(eventLabel(event), event).to.match(/^\p{Lu}[^._]*$/u);
      expect(new Set(AUDIT_EVENTS.map(eventLabel)).size).to.equal(AUDIT_EVENTS.length);
      for (const outcome of AUDIT_OUTCOMES) expect(outcomeLabel(outcome), outcome).to.match(/^\p{Lu}[^._]*$/u);
    }));
  }

  it('says the known reasons shortly, others as their words, in the reader\'s language', () => {
    expect(reasonLabel('new_ip')).to.equal('new network');
    expect(reasonLabel('too_many_failures')).to.equal('too many failures');
    expect(withLanguage('es', () => reasonLabel('new_ip'))).to.equal('red nueva');
  });

  const agents: Array<[string, string]> = [
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'Chrome 131 on Windows 10'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1', 'Safari 17 on iOS 17.4'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox 133 on macOS Catalina'],
    ['curl/8.5.0', 'Other program (curl/8.5.0)'],
  ];
  for (const [agent, words] of agents) it(`reads "${words}" from a user agent`, () => expect(browserAndSystem(agent)).to.equal(words));

  it('turns before/after details into "setting: was → now" lines, and nested ones into paths', () => {
    expect(detailLines({ before: { mfaPolicy: 'risk', trustedIpsBypass: true }, after: { mfaPolicy: 'always', trustedIpsBypass: false } })).to.deep.equal([
      { label: 'mfa policy', value: 'risk → always' },
      { label: 'trusted ips bypass', value: 'yes → no' },
    ]);
    expect(detailLines({ channel: 'sms', destination: '•••• 0123', limits: { perHour: 5 } })).to.deep.equal([
      { label: 'channel', value: 'sms' }, { label: 'destination', value: '•••• 0123' }, { label: 'limits › per hour', value: '5' },
    ]);
    expect(detailLines({ change: 'admin.trusted_ip.removed' })).to.deep.equal([{ label: 'change', value: 'Trusted address removed' }]);
    expect(detailLines({ before: null, after: { name: 'Nora', email: 'n@x.test' } })).to.deep.equal([
      { label: 'name', value: '(none) → Nora' }, { label: 'email', value: '(none) → n@x.test' },
    ]);
  });

  it("reads a typed day on the practice's clocks, across a change of daylight saving time", () => {
    expect(dayStartIn('2030-07-04', 'America/Chicago')!.toISOString()).to.equal('2030-07-04T05:00:00.000Z');
    expect(dayStartIn('2030-01-15', 'America/Chicago')!.toISOString()).to.equal('2030-01-15T06:00:00.000Z');
    expect(dayEndIn('2030-03-10', 'America/Chicago')!.toISOString()).to.equal('2030-03-11T04:59:59.999Z');
    expect(dayStartIn('2030-02-30', 'UTC')).to.equal(null);
    expect(dayStartIn('', 'UTC')).to.equal(undefined);
  });
});
