// The emails about an admin's change of a user's sign-in email are written in the user's language
// (their last sign-in's, else their practice's), never the admin's: the request notice to the
// current address, the confirmation link to the new one, and the "was changed" notices once the
// new address confirms. An English-speaking admin changes a Spanish-speaking user's address.
import { expect } from 'chai';
import { Browser, field } from '../../helpers/browser.js';
import { PASSWORD, startAdminBench, type AdminBench } from './admin-bench.js';

const CONFIRM_LINK = /https?:\/\/\S+\/changes\/confirm\/[A-Za-z0-9_-]{43}/;

describe('admin: account-change emails in the user\'s language', function () {
  this.timeout(60_000);
  let ctx: AdminBench;
  before(async () => { ctx = await startAdminBench('off'); });
  after(() => ctx?.close());

  const mailTo = (address: string, subject: string) => ctx.bench.mail.waitFor((mail) => mail.to.includes(address) && mail.subject === subject);

  it('request notice, confirmation link and the applied notices are in Spanish for a user who signs in in Spanish', async () => {
    const lucia = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'lucia@seaside.test', name: 'Lucía Ríos', password: PASSWORD });
    await ctx.bench.server.models.User.updateOne({ _id: lucia._id }, { $set: { language: 'es' } });
    expect((await ctx.post(`/admin/users/${String(lucia._id)}/email`, { email: 'lucia.nueva@seaside.test' })).status).to.equal(303);

    const notice = await mailTo('lucia@seaside.test', 'Se pidió un cambio de su correo electrónico para iniciar sesión');
    expect(notice.text).to.include('Hola, Lucía Ríos').and.include('administrador(a) de su consultorio, pidió cambiar el correo electrónico para iniciar sesión de su cuenta de l•••@seaside.test a l•••@seaside.test.')
      .and.include('Nada cambia hasta que la nueva dirección lo confirme. Mientras tanto, su configuración actual sigue funcionando.')
      .and.include('Si usted no esperaba esto, repórtelo').and.not.include('was requested');
    const confirm = await mailTo('lucia.nueva@seaside.test', 'Confirme su nuevo correo electrónico para iniciar sesión');
    expect(confirm.text).to.include('Hola, Lucía Ríos:').and.include('El enlace funciona una sola vez y vence en 72 horas.');

    const link = CONFIRM_LINK.exec(confirm.text)![0];
    const browser = new Browser();
    const page = await browser.get(link);
    expect((await browser.post(link, { _csrf: field(page.html, '_csrf') })).status).to.be.oneOf([200, 303]);
    const applied = await mailTo('lucia@seaside.test', 'Se cambió su correo electrónico para iniciar sesión');
    expect(applied.text).to.include('Se cambió el correo electrónico para iniciar sesión de su cuenta de l•••@seaside.test a l•••@seaside.test.')
      .and.include('Se cerraron todas sus sesiones');
    const welcome = await mailTo('lucia.nueva@seaside.test', 'Este es ahora su correo electrónico para iniciar sesión');
    expect(welcome.text).to.include('Ahora usted inicia sesión con lucia.nueva@seaside.test.');
  });
});
