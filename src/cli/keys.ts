// keys rotate | list: the token signing keys kept in the store. Private material is never printed.
// When SIGNING_KEYS is configured the keys live in configuration, and rotating means editing it.
import { AppError } from '../errors.js';
import { loadSigningJwks, pruneRetiredKeys, rotateSigningKeys } from '../oidc/keys.js';
import { SIGNING_KEY_RETENTION_SECONDS } from '../oidc/ttl.js';
import { JSON_OPTION, PROGRAM, type CommandGroup } from './command.js';
import { isoDate, printJson, printTable } from './output.js';

export const keys: CommandGroup = {
  name: 'keys',
  summary: 'Token signing keys (when they are kept in the store, i.e. SIGNING_KEYS is not configured).',
  commands: [
    {
      name: 'rotate',
      summary: 'New RS256 and ES256 keys sign from now on; the old ones stay published until their tokens expire.',
      details: `A running provider picks the new keys up within a minute. Retiring keys stay published for ${SIGNING_KEY_RETENTION_SECONDS / 3600} hours;\nkeys past that are removed.`,
      options: { json: { ...JSON_OPTION, description: 'print the activated and retiring kids as JSON' } },
      example: `${PROGRAM} keys rotate`,
      async run({ values, context, io }) {
        if (context.config.signingKeys) {
          throw new AppError('signing keys are configured', {
            status: 409, code: 'keys_configured',
            userMessage: 'Signing keys come from SIGNING_KEYS: rotate by putting the new key first there (keep the old one listed until its tokens expire).',
          });
        }
        const pruned = await pruneRetiredKeys({ models: context.models });
        const result = await rotateSigningKeys({ models: context.models }, SIGNING_KEY_RETENTION_SECONDS);
        if (values.json) return printJson(io, { ...result, pruned });
        io.out([
          `Activated: ${result.activated.join(', ')}`,
          `Retiring:  ${result.retiring.join(', ') || '(none)'}`,
          ...(pruned ? [`Removed ${pruned} expired key(s).`] : []),
        ].join('\n'));
      },
    },
    {
      name: 'list',
      summary: 'List signing keys: kid, algorithm, status, created, retire-at.',
      options: { json: JSON_OPTION },
      example: `${PROGRAM} keys list`,
      async run({ values, context, io }) {
        let view: Array<{ kid: string; alg: string; status: string; created?: string; retireAt?: string }>;
        if (context.config.signingKeys) {
          const jwks = await loadSigningJwks(context.config, { models: context.models });
          view = jwks.keys.map((key) => ({ kid: String(key.kid), alg: String(key.alg), status: 'configured' }));
        } else {
          // Projection: the private JWK never leaves the database for this command.
          const rows = await context.models.SigningKey.find({}, { privateJwk: 0 }).sort({ createdAt: -1 }).lean();
          view = rows.map((key) => ({
            kid: key._id, alg: key.alg, status: key.status, created: isoDate(key.createdAt), retireAt: isoDate(key.retireAt),
          }));
        }
        if (values.json) return printJson(io, view);
        printTable(io, view, ['kid', 'alg', 'status', 'created', 'retireAt'], 'No signing keys yet: the provider creates them on first start.');
      },
    },
  ],
};
