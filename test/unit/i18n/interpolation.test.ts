// Values put into a text (a practice or user name, an address) are inserted as written: i18next's
// nesting `$t(…)` and `{{…}}` inside a value are never expanded, and nothing is HTML-escaped twice
// (pug escapes the page; the plain-text email must show the name as typed).
import { expect } from 'chai';
import { createRenderer } from '../../../src/http/render.js';
import { createEmailRenderer } from '../../../src/mfa/channels/email-content.js';
import { smsText } from '../../../src/mfa/channels/wording.js';

describe('i18n: values are inserted as written', () => {
  const practiceName = 'Oak & Co $t(common:brand) {{code}}';

  for (const language of ['en', 'es'] as const) {
    it(`${language}: the SMS text and both email bodies show a tricky practice name verbatim (escaped once in HTML)`, () => {
      const message = { kind: 'sign_in_code', to: 'a@clinic.test', code: '123456', expiresInMinutes: 10, practiceName, language } as const;
      expect(smsText(message)).to.include(practiceName).and.not.include('Clinic sign-in').and.not.include('Inicio de sesión del consultorio');
      const email = createEmailRenderer(createRenderer())(message);
      expect(email.text).to.include(practiceName);
      expect(email.html).to.include('Oak &amp; Co $t(common:brand) {{code}}').and.not.include('&amp;amp;');
      expect(email.html).to.include(`<html lang="${language}">`);
    });
  }
});
