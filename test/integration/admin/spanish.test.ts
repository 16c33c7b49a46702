// The admin area in the admin's language, through HTTP: the language switch (`?lang=es`, kept in
// its cookie) turns every admin page Spanish, as on /account; a notice is still only one of the
// fixed list (a crafted `notice` puts no words on the page, in either language); refusals raised
// with an error-table entry (email taken) and by the services (a range too wide) read in Spanish
// beside their field; and what an admin's action emails a user is in the user's language, never
// the admin's.
import { expect } from 'chai';
import { PASSWORD, startAdminBench, type AdminBench } from './admin-bench.js';

describe('admin: the admin area in the admin\'s language', function () {
  this.timeout(60_000);
  let ctx: AdminBench;
  before(async () => { ctx = await startAdminBench('off'); });
  after(() => ctx?.close());

  it('the language switch turns the admin pages Spanish and stays; a crafted notice shows no words', async () => {
    const users = await ctx.browser.get(ctx.url('/admin/users?lang=es'));
    expect(users.html).to.include('<html lang="es">').and.include('<h1>Usuarios</h1>').and.include('Agregar un usuario');
    const security = await ctx.browser.get(ctx.url('/admin/security?notice=saved'));
    expect(security.html).to.include('<h1>Seguridad del consultorio</h1>')
      .and.include('Configuración de seguridad guardada. Se aplica desde el próximo inicio de sesión de cada usuario.');
    const crafted = await ctx.browser.get(ctx.url('/admin/security?notice=admin%3Anotices.saved'));
    expect(crafted.html).not.to.include('class="notice"').and.not.include('Perfil guardado');
    const english = await ctx.browser.get(ctx.url('/admin/users?lang=en'));
    expect(english.html).to.include('<html lang="en">').and.include('<h1>Users</h1>');
  });

  it('a refusal from the error table and one from the trusted-address service read in Spanish beside their field', async () => {
    await ctx.browser.get(ctx.url('/admin/users?lang=es'));
    const taken = await ctx.post('/admin/users', { name: 'Ada Otra', email: ctx.admin.email, role: 'clinician' });
    expect(taken.status).to.equal(409);
    expect(taken.html).to.match(/<p class="field-error" id="email-error">Ya existe un usuario con este correo electrónico\.<\/p>/)
      .and.include('aria-describedby="email-error"');
    const wide = await ctx.post('/admin/ip-access', { scope: 'practice', entry: '16.0.0.0/4', description: '', expires: '' });
    expect(wide.status, wide.html.match(/field-error[^<]*<|alert[^<]*</g)?.join(' | ')).to.equal(400);
    expect(wide.html).to.match(/<p class="field-error" id="add-entry-error">Un rango de confianza puede ser como máximo \/\d+ para IPv4/);
    await ctx.browser.get(ctx.url('/admin/users?lang=en'));
  });

  it('the "sign-in method removed" email is in the user\'s language, whatever the admin reads', async () => {
    const lucia = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'lucia.factor@seaside.test', name: 'Lucía Ríos', password: PASSWORD });
    await ctx.bench.server.models.User.updateOne({ _id: lucia._id }, { $set: { language: 'es' } });
    const factor = await ctx.bench.server.models.UserFactor.create({ userId: lucia._id, kind: 'recovery', name: 'Códigos de recuperación', codes: ['x'], createdAt: new Date() });
    const removed = await ctx.post(`/admin/users/${String(lucia._id)}/factors/${String(factor._id)}/remove`);
    expect(removed.status).to.equal(303);
    const mail = await ctx.bench.mail.waitFor((candidate) => candidate.to.includes(lucia.email));
    expect(mail.subject).to.equal('Se quitó un método de inicio de sesión de su cuenta');
    expect(mail.text).to.include('El administrador de su consultorio, Ada Admin, quitó «Códigos de recuperación» (códigos de recuperación) de su cuenta')
      .and.not.include('was removed');
  });
});
