/**
 * Runs the embedded store as its own process:
 *   tsx src/store/embedded/cli.ts --data-dir DIR [--port N] [--host H]
 * Prints exactly one stdout line, `READY <uri>`, once it accepts connections; closes gracefully
 * on SIGTERM/SIGINT. Tests use it as a child process (e.g. for kill -9 durability checks).
 */
import { parseArgs } from 'node:util';
import { startEmbeddedStore } from './index.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
  },
});

const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`[store] --port must be an integer between 0 and 65535`);
  process.exit(2);
}

try {
  const store = await startEmbeddedStore({ dataDir: values['data-dir'], port, host: values.host });
  process.stdout.write(`READY ${store.uri}\n`);
  const stop = () => {
    store.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (err) {
  console.error(`[store] failed to start: ${(err as Error).message}`);
  process.exit(1);
}
