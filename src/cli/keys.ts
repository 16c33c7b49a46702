// keys rotate | list: the token signing keys kept in the store. Private material is never printed.
// When SIGNING_KEYS is configured the keys live in configuration, and rotating means editing it.
// A rotation publishes the new keys at once and lets them sign only later (src/oidc/keys.ts).
import { AppError } from '../errors.js';
import {
  DEFAULT_ACTIVATION_DELAY_SECONDS, JWKS_MAX_AGE_SECONDS, keyStates, loadSigningJwks, MIN_SAFE_ACTIVATION_SECONDS, pruneRetiredKeys, rotateSigningKeys,
} from '../oidc/keys.js';
import { SIGNING_KEY_RETENTION_SECONDS } from '../sessions/ttl.js';
import { JSON_OPTION, PROGRAM, UsageError, type CommandGroup } from './command.js';
import { CLI_ACTOR, cliAudit } from './operator.js';
import { isoDate, printJson, printTable } from './output.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90m`, `24h`, `2d`, `3600s` or plain seconds → seconds; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,7})([smhd]?)$/.exec(text.trim());
  return match ? Number(match[1]) * UNITS[match[2] || 's']! : undefined;
}

export const keys: CommandGroup = {
  name: 'keys',
  summary: 'Token signing keys (when they are kept in the store, i.e. SIGNING_KEYS is not configured).',
  commands: [
    {
      name: 'rotate',
      summary: 'Publish new RS256 and ES256 keys now; they sign after --activate-after; the old ones stay published until their tokens expire.',
      details: [
        `Apps cache the JWKS for up to ${JWKS_MAX_AGE_SECONDS / 60} minutes (Cache-Control max-age): a new key is published first and signs`,
        `only after --activate-after (default ${DEFAULT_ACTIVATION_DELAY_SECONDS / 3600} h; less than ${MIN_SAFE_ACTIVATION_SECONDS / 60} min can break apps with a warm cache).`,
        `Replaced keys stay published ${SIGNING_KEY_RETENTION_SECONDS / 3600} hours after the new ones sign; keys past that are removed.`,
        'Schedule a rotation ahead with e.g. --activate-after 24h. A running provider picks the change up within a minute.',
      ].join('\n'),
      options: {
        'activate-after': { type: 'string', value: 'DURATION', description: `when the new keys start signing: 90m, 24h, 2d… (default ${DEFAULT_ACTIVATION_DELAY_SECONDS / 3600}h)` },
        json: { ...JSON_OPTION, description: 'print the new and replaced kids and the schedule as JSON' },
      },
      example: `${PROGRAM} keys rotate --activate-after 24h`,
      async run({ values, context, io }) {
        if (context.config.signingKeys) {
          throw new AppError('signing keys are configured', {
            status: 409, code: 'keys_configured',
            userMessage: 'Signing keys come from SIGNING_KEYS: publish the new key after the current one first, move it first once apps have fetched it, and keep the old one listed until its tokens expire.',
          });
        }
        const given = values['activate-after'];
        const activateAfterSeconds = given === undefined ? DEFAULT_ACTIVATION_DELAY_SECONDS : parseDuration(String(given));
        if (activateAfterSeconds === undefined) throw new UsageError(`--activate-after "${String(given)}" is not a duration such as 90m, 24h or 2d`, '');
        const pruned = await pruneRetiredKeys({ models: context.models });
        const result = await rotateSigningKeys({ models: context.models }, { activateAfterSeconds, retireAfterSeconds: SIGNING_KEY_RETENTION_SECONDS });
        await cliAudit(context).record({
          event: 'admin.signing_keys.rotated', outcome: 'success', actor: CLI_ACTOR,
          details: { after: { next: result.next, replaced: result.replaced, activateAt: result.activateAt.toISOString(), retireAt: result.retireAt.toISOString() } },
        });
        if (values.json) return printJson(io, { ...result, pruned });
        io.out([
          `Published: ${result.next.join(', ')} (signing from ${result.activateAt.toISOString()})`,
          `Replaced:  ${result.replaced.join(', ') || '(none)'} (published until ${result.retireAt.toISOString()})`,
          ...(activateAfterSeconds < MIN_SAFE_ACTIVATION_SECONDS ? [`Warning: apps may cache the JWKS for ${JWKS_MAX_AGE_SECONDS / 60} minutes; some may reject tokens signed before they refresh.`] : []),
          ...(pruned ? [`Removed ${pruned} expired key(s).`] : []),
        ].join('\n'));
      },
    },
    {
      name: 'list',
      summary: 'List signing keys: kid, algorithm, state (next, current, retiring), signs from, published until.',
      options: { json: JSON_OPTION },
      example: `${PROGRAM} keys list`,
      async run({ values, context, io }) {
        let view: Array<{ kid: string; alg: string; state: string; activateAt?: string; retireAt?: string }>;
        if (context.config.signingKeys) {
          const jwks = await loadSigningJwks(context.config, { models: context.models });
          view = jwks.keys.map((key) => ({ kid: String(key.kid), alg: String(key.alg), state: 'configured' }));
        } else {
          // Projection: the private JWK never leaves the database for this command.
          const rows = await context.models.SigningKey.find({}, { privateJwk: 0 }).sort({ createdAt: -1 }).lean();
          view = keyStates(rows, Date.now()).map((key) => ({
            kid: key._id, alg: key.alg, state: key.state, activateAt: isoDate(key.activateAt ?? key.createdAt), retireAt: isoDate(key.retireAt),
          }));
        }
        if (values.json) return printJson(io, view);
        printTable(io, view, ['kid', 'alg', 'state', 'activateAt', 'retireAt'], 'No signing keys yet: the provider creates them on first start.');
      },
    },
  ],
};
