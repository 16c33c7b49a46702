// Which return links a reset page may show: local paths only, by table.
import { expect } from 'chai';
import { safeReturnPath, withReturn } from '../../../src/password-reset/return-path.js';

describe('password reset: return path', () => {
  const cases: Array<[string, unknown, string | undefined]> = [
    ['an interaction', '/interaction/abc_DEF-123', '/interaction/abc_DEF-123'],
    ['an interaction with a trailing slash', '/interaction/abc/', '/interaction/abc/'],
    ['the root', '/', '/'],
    ['another site', 'https://evil.example/', undefined],
    ['a protocol-relative URL', '//evil.example/x', undefined],
    ['a backslash trick', '/\\evil.example', undefined],
    ['an encoded second slash', '/%2Fevil.example', undefined],
    ['an encoded backslash', '/%5Cevil.example', undefined],
    ['a dot-dot segment', '/interaction/../admin', undefined],
    ['an encoded dot-dot segment', '/interaction/%2E%2E/admin', undefined],
    ['a control character', '/interaction/%0Aabc', undefined],
    ['a query string', '/interaction/x?prompt=none', undefined],
    ['a javascript: URL', 'javascript:alert(1)', undefined],
    ['broken percent-encoding', '/interaction/%E0%A4%A', undefined],
    ['empty', '', undefined],
    ['not a string', ['/interaction/x'], undefined],
    ['too long', `/${'a'.repeat(512)}`, undefined],
  ];
  for (const [name, input, expected] of cases) {
    it(`${name}: ${expected === undefined ? 'dropped' : 'kept'}`, () => {
      expect(safeReturnPath(input)).to.equal(expected);
    });
  }

  it('adds the return path to a link only when there is one', () => {
    expect(withReturn('/password-reset', '/interaction/x')).to.equal('/password-reset?return=%2Finteraction%2Fx');
    expect(withReturn('/password-reset', undefined)).to.equal('/password-reset');
  });
});
