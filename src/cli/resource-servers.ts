// resource-servers add | list | set-picker | remove: the FHIR servers SMART apps name in `aud`.
import { JSON_OPTION, PROGRAM, UsageError, type Command, type CommandGroup } from './command.js';
import { CLI_ACTOR, cliAudit, cliChange, EMAIL, userByEmail } from './operator.js';
import { setFhirUser } from '../smart/fhir-user-service.js';
import { isoDate, printJson, printTable } from './output.js';
import { addResourceServer, listResourceServers, removeResourceServer } from '../smart/resource-servers.js';
import { hashClientSecret } from '../oidc/clients.js';
import { readFile } from 'node:fs/promises';
import { setPatientPicker } from '../smart/picker/registration.js';
import { appError } from '../errors.js';

const ID = { type: 'string', value: 'ID', required: true, description: 'the resource server id (its client id at the introspection endpoint)' } as const;

export const resourceServers: CommandGroup = {
  name: 'resource-servers',
  summary: 'FHIR servers that accept our access tokens (SMART App Launch `aud`).',
  commands: [
    {
      name: 'add',
      summary: 'Register a FHIR server by its base URL; prints its id and, once, its introspection secret.',
      details: 'Apps name the base URL in the `aud` authorization parameter; their access tokens are then JWTs\nwith that `aud`. The server checks them with our JWKS, or at the introspection endpoint with this\nid and secret (HTTP Basic), for tokens meant for it only.',
      options: {
        id: ID,
        name: { type: 'string', value: 'NAME', required: true, description: 'display name' },
        url: { type: 'string', value: 'URL', required: true, description: 'the FHIR base URL (https; http only for localhost)' },
        json: { ...JSON_OPTION, description: 'print the id and secret as JSON' },
      },
      example: `${PROGRAM} resource-servers add --id ehr-fhir --name "EHR FHIR API" --url https://fhir.example.org/r4`,
      async run({ values, context, io }) {
        const { server, secret } = await addResourceServer({ models: context.models, hashSecret: hashClientSecret }, { id: String(values.id), name: String(values.name), baseUrl: String(values.url) });
        await cliAudit(context).record({
          event: 'admin.client.created', outcome: 'success', actor: CLI_ACTOR, clientId: server.id,
          reasons: ['resource_server'], details: { after: { resourceServerUrl: server.baseUrl } },
        });
        if (values.json) return printJson(io, { id: server.id, baseUrl: server.baseUrl, clientSecret: secret });
        io.out([
          `Registered resource server "${server.name}" at ${server.baseUrl}`,
          `client_id:     ${server.id}`,
          `client_secret: ${secret}`,
          '',
          'Copy the secret now: it is stored only as a hash and will never be shown again.',
        ].join('\n'));
      },
    },
    {
      name: 'list',
      summary: 'List registered FHIR servers. Secrets are never shown.',
      options: { json: JSON_OPTION },
      example: `${PROGRAM} resource-servers list`,
      async run({ values, context, io }) {
        const view = (await listResourceServers(context)).map((server) => ({ ...server, createdAt: isoDate(server.createdAt) }));
        if (values.json) return printJson(io, view);
        printTable(io, view, ['id', 'name', 'baseUrl', 'active', 'pickerUrl'], 'No resource servers.');
      },
    },
    {
      name: 'set-picker',
      summary: "Set the FHIR server's patient picker for standalone launches (launch/patient), or --clear it.",
      details: 'The browser is sent to URL with state, return_uri, client_id, aud and iss; the picker sends it back to\nreturn_uri with a selection signed by one of the keys in FILE (a public JWKS, each key with its alg).\nThe protocol: docs/smart.md "Patient picker".',
      options: {
        id: ID,
        url: { type: 'string', value: 'URL', description: 'the picker page (https; http only for localhost, in development)' },
        'jwks-file': { type: 'string', value: 'FILE', description: "a file with the picker's public JWKS" },
        clear: { type: 'boolean', description: 'remove the picker: launch/patient is then refused for this server' },
      },
      example: `${PROGRAM} resource-servers set-picker --id ehr-fhir --url https://ehr.example.org/patient-picker --jwks-file picker.jwks.json`,
      async run({ values, context, io }) {
        const usage = `Usage: ${PROGRAM} resource-servers set-picker --id ID (--url URL --jwks-file FILE | --clear)`;
        const given = values.url !== undefined && values['jwks-file'] !== undefined;
        if (values.clear ? values.url !== undefined || values['jwks-file'] !== undefined : !given) throw new UsageError('give --url with --jwks-file, or --clear', usage);
        const picker = values.clear ? undefined : { url: String(values.url), jwks: await readJwks(String(values['jwks-file'])) };
        const change = await setPatientPicker({ models: context.models, production: context.config.nodeEnv === 'production' }, String(values.id), picker);
        await cliAudit(context).record({
          event: 'admin.client.updated', outcome: 'success', actor: CLI_ACTOR, clientId: String(values.id),
          reasons: ['patient_picker'], details: { before: { patientPicker: change.before ?? null }, after: { patientPicker: change.after ?? null } },
        });
        io.out(change.after ? `Patient picker of ${String(values.id)} is now ${change.after}` : `Patient picker of ${String(values.id)} removed`);
      },
    },
    {
      name: 'remove',
      summary: 'Remove a FHIR server: `aud` naming it is refused from now on (tokens already issued run out).',
      options: { id: ID },
      example: `${PROGRAM} resource-servers remove --id ehr-fhir`,
      async run({ values, context, io }) {
        const server = await removeResourceServer(context, String(values.id));
        await cliAudit(context).record({
          event: 'admin.client.removed', outcome: 'success', actor: CLI_ACTOR, clientId: server.id,
          reasons: ['resource_server'], details: { before: { resourceServerUrl: server.baseUrl } },
        });
        io.out(`Removed resource server ${server.id} (${server.baseUrl})`);
      },
    },
  ],
};

async function readJwks(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw appError('invalid_resource_server', { message: `--jwks-file "${path}" cannot be read as JSON` });
  }
}

/** `users set-fhir-user`: the user's FHIR resource (SMART fhirUser); the same function as the admin page. */
export const setFhirUserCommand: Command = {
  name: 'set-fhir-user',
  summary: "Set the user's FHIR resource (SMART fhirUser), e.g. Practitioner/123, or --clear it.",
  options: {
    email: EMAIL,
    'fhir-user': { type: 'string', value: 'REFERENCE', description: 'Practitioner/<id>, PractitionerRole/<id>, Patient/<id>, RelatedPerson/<id> or Person/<id>' },
    clear: { type: 'boolean', description: 'remove the reference' },
  },
  example: `${PROGRAM} users set-fhir-user --email dr.ada@clinic.example --fhir-user Practitioner/123`,
  async run({ values, context, io }) {
    if ((values['fhir-user'] === undefined) === !values.clear) throw new UsageError('give either --fhir-user or --clear', `Usage: ${PROGRAM} users set-fhir-user --email EMAIL (--fhir-user REFERENCE | --clear)`);
    const user = await userByEmail(context, values);
    const reference = values.clear ? '' : String(values['fhir-user']);
    const change = await cliChange(context, 'admin.user.updated', { practiceId: user.practiceId, userSub: user.sub }, () => setFhirUser(context, user._id, reference));
    if (!change) return io.out('Nothing changed.');
    await cliAudit(context).record({ event: 'admin.user.updated', outcome: 'success', actor: CLI_ACTOR, practiceId: user.practiceId, userSub: user.sub, details: { ...change } });
    io.out(change.fhirUser.after ? `fhirUser of ${user.email} is now ${change.fhirUser.after}` : `fhirUser of ${user.email} cleared`);
  },
};
