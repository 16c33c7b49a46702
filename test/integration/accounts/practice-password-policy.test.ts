// The account service applies the practice's own password policy on a real store: the default when
// the practice stored none, its relaxed choice when it did, for createUser and setPassword alike.
import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { createPasswordHasher } from '../../../src/accounts/password.js';
import { DEFAULT_PASSWORD_POLICY } from '../../../src/accounts/password-policy/index.js';
import { createAccountService, type AccountService } from '../../../src/accounts/service.js';
import { AppError } from '../../../src/errors.js';
import { openConnection } from '../../../src/store/connection.js';
import { createModels, ensureIndexes } from '../../../src/store/models/index.js';
import { storeUnderTest, type StoreUnderTest } from '../../helpers/store.js';

const NO_SYMBOL = 'HarborLantern7Owls';

describe('practice password policy (account service)', () => {
  let store: StoreUnderTest;
  let connection: Connection;
  let accounts: AccountService;

  before(async () => {
    store = await storeUnderTest();
    connection = await openConnection(store.uri);
    const models = createModels(connection);
    await ensureIndexes(models);
    accounts = createAccountService({ models, hasher: createPasswordHasher({ memoryKiB: 19_456, timeCost: 2, parallelism: 1 }) });
  });
  after(async () => {
    await connection?.close();
    await store?.close();
  });

  const refusal = async (action: Promise<unknown>) => {
    try {
      await action;
    } catch (error) {
      return error;
    }
    throw new Error('expected a refusal');
  };

  it('a practice with requireSpecial off accepts what the default refuses', async () => {
    const strict = await accounts.createPractice({ name: 'Strict Practice' });
    const relaxed = await accounts.createPractice({ name: 'Relaxed Practice' });
    expect(await accounts.passwordPolicyFor(strict._id)).to.deep.equal(DEFAULT_PASSWORD_POLICY);
    await accounts.setPracticePasswordPolicy(relaxed._id, { requireSpecial: false });
    expect(await accounts.passwordPolicyFor(relaxed._id)).to.deep.equal({ ...DEFAULT_PASSWORD_POLICY, requireSpecial: false });

    const error = await refusal(accounts.createUser({ practiceId: strict._id, email: 'ann@strict.example', name: 'Ann Poe', role: 'clinician', password: NO_SYMBOL }));
    expect(error).to.be.instanceOf(AppError).and.include({ status: 400, code: 'weak_password' });
    expect(await accounts.findUserByEmail('ann@strict.example')).to.equal(null);

    const user = await accounts.createUser({ practiceId: relaxed._id, email: 'bo@relaxed.example', name: 'Bo Yu', role: 'clinician', password: NO_SYMBOL });
    expect(user.passwordHash).to.be.a('string');
  });

  it('setPassword checks the user\'s own practice policy and personal details', async () => {
    const practice = await accounts.createPractice({ name: 'Reset Practice' });
    const user = await accounts.createUser({ practiceId: practice._id, email: 'cy.moss@reset.example', name: 'Cy Moss', role: 'admin', password: 'Harbor lantern, 7 owls' });
    expect(await refusal(accounts.setPassword(user.sub, 'Moss-harbor-lantern-7'))).to.include({ code: 'weak_password' });
    expect(await refusal(accounts.setPassword(user.sub, NO_SYMBOL))).to.include({ code: 'weak_password' });
    await accounts.setPracticePasswordPolicy(practice._id, { requireSpecial: false });
    await accounts.setPassword(user.sub, NO_SYMBOL);
  });

  it('refuses an out-of-range policy and keeps the stored one', async () => {
    const practice = await accounts.createPractice({ name: 'Careful Practice' });
    expect(await refusal(accounts.setPracticePasswordPolicy(practice._id, { minLength: 6 }))).to.include({ status: 400 });
    expect(await accounts.passwordPolicyFor(practice._id)).to.deep.equal(DEFAULT_PASSWORD_POLICY);
  });
});
