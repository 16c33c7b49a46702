// The password policy by tables: each rule on and off, Unicode, length in code points, the common
// list with decorated variants, and the person's own name and email.
import { expect } from 'chai';
import {
  checkPassword, DEFAULT_PASSWORD_POLICY, describeRules, isCommonPassword, messageFor, PASSWORD_RULES,
  resolvePasswordPolicy, type PasswordPolicy, type PasswordRule,
} from '../../../src/accounts/password-policy/index.js';
import { assertAcceptablePassword } from '../../../src/accounts/password.js';
import { AppError } from '../../../src/errors.js';

const person = { name: 'Dr. Casey Rivera-Lund', email: 'c.rivera@sunnyvale-clinic.example.org' };
const policy = (changes: Partial<PasswordPolicy> = {}) => resolvePasswordPolicy(changes);
const unmet = (password: string, changes: Partial<PasswordPolicy> = {}) => checkPassword(password, policy(changes), person).unmet;

describe('password policy', () => {
  describe('each rule, on by default and switchable off', () => {
    const cases: { password: string; rule: PasswordRule; off: Partial<PasswordPolicy> | null }[] = [
      { password: 'Short-1!', rule: 'min_length', off: null },
      { password: 'no capitals here 42!', rule: 'upper', off: { requireUpper: false } },
      { password: 'NO SMALL LETTERS 42!', rule: 'lower', off: { requireLower: false } },
      { password: 'No digits at all here!', rule: 'digit', off: { requireDigit: false } },
      { password: 'NoSymbolsAtAll42xyz', rule: 'special', off: { requireSpecial: false } },
      { password: 'Password2024!!', rule: 'not_common', off: { rejectCommon: false } },
      { password: 'Rivera-Keeps-9-Owls', rule: 'not_personal', off: { rejectPersonal: false } },
    ];
    for (const { password, rule, off } of cases) {
      it(`${rule}: "${password}" misses only it${off ? ', and passes with it off' : ''}`, () => {
        expect(unmet(password)).to.deep.equal([rule]);
        if (off) expect(checkPassword(password, policy(off), person)).to.deep.equal({ ok: true, unmet: [] });
      });
    }
    it('names every unmet rule at once, in the order they are shown', () => {
      expect(unmet('abc')).to.deep.equal(['min_length', 'upper', 'digit', 'special', 'not_common']);
    });
    it('accepts a strong passphrase', () => {
      expect(checkPassword('Harbor lantern, 7 quiet owls', DEFAULT_PASSWORD_POLICY, person)).to.deep.equal({ ok: true, unmet: [] });
    });
  });

  describe('length counts code points of the NFC form', () => {
    const cases: { label: string; password: string; minLength: number; ok: boolean }[] = [
      { label: '11 ASCII characters', password: 'Abcxyz-7qwZ', minLength: 12, ok: false },
      { label: '12 ASCII characters', password: 'Abcxyz-7qwZr', minLength: 12, ok: true },
      { label: '12 emoji (24 UTF-16 units) plus classes', password: 'Aa1!🐢🐢🐢🐢🐢🐢🐢🐢', minLength: 12, ok: true },
      { label: '11 code points with astral chars', password: 'Aa1!🐢🐢🐢🐢🐢🐢🐢', minLength: 12, ok: false },
      { label: 'decomposed é counts once after NFC', password: 'Ze\u0301bre-rouge-1', minLength: 14, ok: false },
      { label: 'precomposed é, same length', password: 'Z\u00e9bre-rouge-1x', minLength: 14, ok: true },
      { label: 'minLength 8 when the practice allows it', password: 'Qx7!mLwz', minLength: 8, ok: true },
    ];
    for (const { label, password, minLength, ok } of cases) {
      it(`${label}: ${ok ? 'long enough' : 'too short'} for ${minLength}`, () => {
        expect(unmet(password, { minLength }).includes('min_length')).to.equal(!ok);
      });
    }
    it('refuses more than maxLength code points, and huge inputs without scanning them', () => {
      const base = 'Aa1! harbor owls ';
      expect(unmet(base.padEnd(256, 'x'))).to.deep.equal([]);
      expect(unmet(base.padEnd(257, 'x'))).to.deep.equal(['max_length']);
      expect(unmet(base.padEnd(65, 'x'), { maxLength: 64 })).to.deep.equal(['max_length']);
      expect(unmet(`Aa1!${'🐢'.repeat(252)}`)).to.deep.equal([]);
      expect(unmet(`Aa1!${'🐢'.repeat(253)}`)).to.deep.equal(['max_length']);
      expect(unmet('x'.repeat(1_000_000))).to.deep.equal(['max_length']);
    });
  });

  describe('character classes follow Unicode', () => {
    const cases: { password: string; missing: PasswordRule[] }[] = [
      { password: 'Ärztin-Öl-über-7', missing: [] },
      { password: 'ÄRZTIN-ÖL-ÜBER-7', missing: ['lower'] },
      { password: 'ärztin-öl-über-7', missing: ['upper'] },
      { password: 'Δελφίνι θάλασσα 4', missing: [] },
      { password: 'Quiet harbor owls ٣', missing: [] },
      { password: 'Quiet harbor owls 7', missing: [] },
      { password: 'Quiet-harbor-owls-seven', missing: ['digit'] },
    ];
    for (const { password, missing } of cases) {
      it(`"${password}" misses ${missing.join(', ') || 'nothing'}`, () => expect(unmet(password)).to.deep.equal(missing));
    }
    it('a space counts as a symbol', () => expect(unmet('Quiet harbor owls 7', { requireSpecial: true })).to.deep.equal([]));
  });

  describe('common and guessable passwords, decorated or not', () => {
    const refused = [
      'password', 'Password123!', 'P@ssw0rd1', 'p4ssw0rd!!', 'PASSWORD', 'Summer2024!', '!!Welcome2025',
      'Letmein#1', 'iloveyou', 'Qwerty123!', '1qaz2wsx', '123456789012', 'Doctor2024!', 'Nurse#1234',
      'Patient2024!', 'Medical123!', 'Health-2024!', 'PasswordPassword1!', 'pass-w0rd', 'Aaaaaaaaaaaa1!',
      'abcdefghijkl', '987654321!', 'abcabcabcabc',
    ];
    const allowed = ['Harbor lantern, 7 quiet owls', 'Sunlit-Harbor-Lantern-7!', 'Xq7!vRm2#pLw', 'passwordless-owl-orchestra-7'];
    for (const password of refused) it(`refuses "${password}"`, () => expect(isCommonPassword(password)).to.equal(true));
    for (const password of allowed) it(`allows "${password}"`, () => expect(isCommonPassword(password)).to.equal(false));
  });

  describe('personal information', () => {
    const cases: { password: string; why: string; personal: boolean }[] = [
      { password: 'C.Rivera-harbor-7', why: 'email local part', personal: true },
      { password: 'Sunnyvale-harbor-7!', why: 'email domain name', personal: true },
      { password: 'harbor-CASEY-owls-7', why: 'first name, any case', personal: true },
      { password: 'harbor-lund-owls-7!', why: 'hyphenated surname part', personal: true },
      { password: 'Harbor-Dr-Owls-7!x', why: 'parts under 3 characters do not count', personal: false },
      { password: 'Harbor-Example-Org-7!', why: 'every domain label but the TLD', personal: true },
      { password: 'Harbor-lantern-owls-7', why: 'nothing personal', personal: false },
    ];
    for (const { password, why, personal } of cases) {
      it(`${why}: "${password}" ${personal ? 'refused' : 'allowed'}`, () => {
        expect(unmet(password).includes('not_personal')).to.equal(personal);
      });
    }
    it('checks nothing personal when the person is unknown', () => {
      expect(checkPassword('C.Rivera-harbor-7', DEFAULT_PASSWORD_POLICY).unmet).to.deep.equal([]);
    });
  });

  describe('describing the rules', () => {
    it('lists the active rules with a sentence each, before the person types', () => {
      expect(describeRules(DEFAULT_PASSWORD_POLICY).map(({ rule }) => rule)).to.deep.equal([...PASSWORD_RULES]);
      const relaxed = describeRules(policy({ requireSpecial: false, requireDigit: false, minLength: 16 }));
      expect(relaxed.map(({ rule }) => rule)).to.deep.equal(['min_length', 'max_length', 'upper', 'lower', 'not_common', 'not_personal']);
      expect(relaxed[0]!.text).to.equal('At least 16 characters.');
    });
    it('has a distinct sentence for every rule', () => {
      const sentences = PASSWORD_RULES.map((rule) => messageFor(rule, DEFAULT_PASSWORD_POLICY));
      expect(new Set(sentences).size).to.equal(PASSWORD_RULES.length);
    });
  });

  describe('resolving a stored policy', () => {
    it('fills missing fields with the defaults', () => {
      expect(resolvePasswordPolicy(undefined)).to.deep.equal(DEFAULT_PASSWORD_POLICY);
      expect(resolvePasswordPolicy({ requireSpecial: false })).to.deep.equal({ ...DEFAULT_PASSWORD_POLICY, requireSpecial: false });
    });
    const invalid: Partial<Record<keyof PasswordPolicy, unknown>>[] = [
      { minLength: 7 }, { minLength: 65 }, { minLength: 12.5 }, { maxLength: 63 }, { maxLength: 257 }, { requireUpper: 'yes' },
    ];
    for (const stored of invalid) {
      it(`refuses ${JSON.stringify(stored)}`, () => {
        expect(() => resolvePasswordPolicy(stored as Partial<PasswordPolicy>)).to.throw(AppError).with.property('status', 400);
      });
    }
  });

  describe('assertAcceptablePassword', () => {
    it('throws weak_password naming every unmet rule', () => {
      let error: unknown;
      try {
        assertAcceptablePassword('rivera', DEFAULT_PASSWORD_POLICY, person);
      } catch (caught) {
        error = caught;
      }
      expect(error).to.be.instanceOf(AppError).and.include({ status: 400, code: 'weak_password' });
      const { userMessage } = error as AppError;
      for (const rule of ['min_length', 'upper', 'digit', 'special', 'not_personal'] as const) {
        expect(userMessage).to.include(messageFor(rule, DEFAULT_PASSWORD_POLICY));
      }
      expect(userMessage).not.to.include(messageFor('lower', DEFAULT_PASSWORD_POLICY));
    });
    it('returns quietly for an acceptable password', () => {
      expect(() => assertAcceptablePassword('Harbor lantern, 7 quiet owls', DEFAULT_PASSWORD_POLICY, person)).not.to.throw();
    });
  });
});
