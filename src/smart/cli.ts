// resource-servers add | list | remove: the FHIR servers SMART apps name in `aud`.
import { JSON_OPTION, PROGRAM, type CommandGroup } from '../cli/command.js';
import { CLI_ACTOR, cliAudit } from '../cli/operator.js';
import { isoDate, printJson, printTable } from '../cli/output.js';
import { addResourceServer, listResourceServers, removeResourceServer } from './resource-servers.js';

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
        const { server, secret } = await addResourceServer(context, { id: String(values.id), name: String(values.name), baseUrl: String(values.url) });
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
        printTable(io, view, ['id', 'name', 'baseUrl', 'active'], 'No resource servers.');
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
