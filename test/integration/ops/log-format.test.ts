// The development log format: one readable line per entry, with the same redaction as JSON; and a
// developer's terminal shows failed requests only, so the one-time codes are not buried.
import { expect } from 'chai';
import { createLogger } from '../../../src/observability/logger.js';
import { startServer, type TestServer } from '../../helpers/server.js';

describe('ops: log format for a terminal', () => {
  it('pretty lines are single lines, not JSON, and hide secret-bearing keys', () => {
    const lines: string[] = [];
    const logger = createLogger({ format: 'pretty', destination: { write: (line: string) => void lines.push(line) } });
    logger.info('signed in', { password: 'hunter2-secret', user: 'ada' });
    const text = lines.join('');
    expect(text.trim().split('\n')).to.have.length(1);
    expect(() => JSON.parse(text)).to.throw();
    expect(text).to.include('signed in').and.include('ada').and.include('[redacted]').and.not.include('hunter2-secret');
  });

  describe('LOG_REQUESTS=errors', () => {
    const logged: Array<{ message: string; fields?: Record<string, unknown> }> = [];
    let server: TestServer;
    before(async () => {
      const logger = { info: (message: string, fields?: Record<string, unknown>) => void logged.push({ message, ...(fields ? { fields } : {}) }), warn() {}, error() {} };
      server = await startServer({ env: { LOG_REQUESTS: 'errors' }, logger });
    });
    after(() => server.close());

    it('logs a failed request and not a successful one', async () => {
      expect((await fetch(server.url('/healthz'))).status).to.equal(200);
      expect((await fetch(server.url('/no-such-page'))).status).to.equal(404);
      const requests = logged.filter((line) => line.message === 'request').map((line) => line.fields);
      expect(requests.map((fields) => fields?.path)).to.deep.equal(['/no-such-page']);
    });
  });
});
