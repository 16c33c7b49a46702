// Audit page times: the same instant in UTC and in a named zone, across daylight saving, midnight
// and half-hour offsets; which zone is "local" for a practice; which names count as a zone.
import { expect } from 'chai';
import { localZone, serverTimeZone, utcText, zonedText } from '../../../src/admin/audit/time.js';
import { isTimeZone } from '../../../src/store/models/practice.js';

describe('audit page times', () => {
  const cases: Array<[string, string, string]> = [
    ['2030-06-01T12:00:00Z', 'America/Chicago', '2030-06-01 07:00:00 CDT'],
    ['2030-01-15T12:00:00Z', 'America/Chicago', '2030-01-15 06:00:00 CST'],
    ['2030-06-01T02:30:00Z', 'America/Los_Angeles', '2030-05-31 19:30:00 PDT'],
    ['2030-12-31T23:59:59Z', 'Asia/Kolkata', '2031-01-01 05:29:59 GMT+5:30'],
    ['2030-06-01T22:00:00Z', 'Europe/Berlin', '2030-06-02 00:00:00 GMT+2'],
    ['2030-06-01T12:00:00Z', 'UTC', '2030-06-01 12:00:00 UTC'],
  ];
  for (const [instant, zone, expected] of cases) {
    it(`${instant} in ${zone} is ${expected}`, () => {
      expect(zonedText(new Date(instant), zone)).to.equal(expected);
      expect(utcText(new Date(instant))).to.equal(`${instant.slice(0, 10)} ${instant.slice(11, 19)} UTC`);
    });
  }

  const zones: Array<[string | null | undefined, ReturnType<typeof localZone>]> = [
    ['America/Chicago', { zone: 'America/Chicago', of: 'practice' }],
    [null, { zone: serverTimeZone(), of: 'server' }],
    [undefined, { zone: serverTimeZone(), of: 'server' }],
    ['', { zone: serverTimeZone(), of: 'server' }],
    ['Mars/Olympus', { zone: serverTimeZone(), of: 'server' }],
  ];
  for (const [stored, expected] of zones) {
    it(`a practice zone of ${JSON.stringify(stored)} shows times in the ${expected.of}'s zone`, () => {
      expect(localZone(stored)).to.deep.equal(expected);
    });
  }

  const names: Array<[unknown, boolean]> = [
    ['America/Chicago', true], ['america/chicago', true], ['UTC', true], ['Etc/GMT+5', true],
    ['Mars/Olympus', false], ['+05:00', false], ['', false], [' UTC', false], ['A'.repeat(65), false], [42, false], [null, false],
  ];
  for (const [name, known] of names) {
    it(`${JSON.stringify(name)} is ${known ? '' : 'not '}a time zone`, () => {
      expect(isTimeZone(name)).to.equal(known);
    });
  }
});
