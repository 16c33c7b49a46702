// The start-up migrations, in order, run whenever the store is opened (the server and every CLI
// command): each is idempotent and costs one query once done.
import type { Models } from '../models/index.js';
import { tagDevicesWithPractices } from './device-practices.js';
import { migrateToMemberships } from './memberships.js';

export async function runStartupMigrations(models: Models): Promise<void> {
  // One practice per user → memberships (idempotent; nothing to do once done).
  await migrateToMemberships(models);
  // Known devices → the practices they were used for (needs the memberships above).
  await tagDevicesWithPractices(models);
}
