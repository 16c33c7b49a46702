// The paragraphs of a security notice, by table: greeting, summary, details, when/where, and always
// the "if this wasn't you" line last.
import { expect } from 'chai';
import { IF_NOT_YOU, noticeParagraphs } from '../../../src/notifications/security-notice.js';

const at = new Date(Date.UTC(2030, 0, 2, 9, 30));

describe('security notice: paragraphs', () => {
  const cases: Array<[string, { name: string }, Parameters<typeof noticeParagraphs>[1], string[]]> = [
    ['summary only', { name: 'Kim Park' }, { subject: 's', summary: 'Your password was changed.', at },
      ['Hello Kim Park,', 'Your password was changed.', 'When: 2030-01-02 09:30 UTC.', IF_NOT_YOU]],
    ['details and IP', { name: 'Kim' }, { subject: 's', summary: 'A phone was added.', details: ['Codes now go to ••• 4821.'], ip: '203.0.113.9', at },
      ['Hello Kim,', 'A phone was added.', 'Codes now go to ••• 4821.', 'When: 2030-01-02 09:30 UTC, from the network address 203.0.113.9.', IF_NOT_YOU]],
    ['no name', { name: '  ' }, { subject: 's', summary: 'Done.', at }, ['Done.', 'When: 2030-01-02 09:30 UTC.', IF_NOT_YOU]],
    ['name on several lines', { name: 'Kim\n\nPark' }, { subject: 's', summary: 'Done.', at }, ['Hello Kim Park,', 'Done.', 'When: 2030-01-02 09:30 UTC.', IF_NOT_YOU]],
    ['a detail with a blank line stays one paragraph', { name: 'Kim' }, { subject: 's', summary: 'Done.', details: ['One.\n\nTwo.'], at },
      ['Hello Kim,', 'Done.', 'One.\nTwo.', 'When: 2030-01-02 09:30 UTC.', IF_NOT_YOU]],
    ["in the practice's time zone", { name: 'Kim' }, { subject: 's', summary: 'Done.', at, timeZone: 'America/Chicago', ip: '203.0.113.9' },
      ['Hello Kim,', 'Done.', 'When: Wed, Jan 2, 2030, 3:30 AM CST, from the network address 203.0.113.9.', IF_NOT_YOU]],
    ['from the machine itself (a development start)', { name: 'Kim' }, { subject: 's', summary: 'Done.', at, ip: '::1' },
      ['Hello Kim,', 'Done.', 'When: 2030-01-02 09:30 UTC, from this computer.', IF_NOT_YOU]],
  ];
  for (const [name, user, notice, expected] of cases) {
    it(name, () => {
      expect(noticeParagraphs(user, notice)).to.deep.equal(expected);
    });
  }

  it('ends with the advice to contact the practice administrator', () => {
    expect(IF_NOT_YOU).to.match(/^If this wasn't you, contact your practice administrator/);
  });
});
