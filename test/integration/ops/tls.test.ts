// HTTPS served directly: the configured certificate is the one presented, TLS 1.1 is refused by
// the server, TLS 1.2 and 1.3 are accepted (1.3 chosen when offered), HSTS on every response.
// Production refuses an http:// issuer unless it is the local machine.
import { X509Certificate } from 'node:crypto';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { expect } from 'chai';
import { loadConfig } from '../../../src/config/index.js';
import { ConfigError } from '../../../src/errors.js';
import { HSTS } from '../../../src/http/middleware/security-headers.js';
import { startHttpsServer, withTrustingFetch, type HttpsServer } from './https-bench.js';

function handshake(port: number, options: ConnectionOptions): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ...options }, () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('ops: TLS served directly', () => {
  let server: HttpsServer;
  before(async () => { server = await startHttpsServer(); });
  after(() => server.close());

  it('presents the configured certificate, trusted as its own CA', async () => {
    const socket = await handshake(server.port, { ca: server.certificate.cert });
    try {
      expect(socket.authorized).to.equal(true);
      expect(socket.getPeerCertificate().fingerprint256).to.equal(new X509Certificate(server.certificate.cert).fingerprint256);
      expect(socket.getProtocol()).to.equal('TLSv1.3');
    } finally {
      socket.destroy();
    }
  });

  it('accepts TLS 1.2', async () => {
    const socket = await handshake(server.port, { ca: server.certificate.cert, maxVersion: 'TLSv1.2' });
    expect(socket.getProtocol()).to.equal('TLSv1.2');
    socket.destroy();
  });

  it('refuses TLS 1.1: the server answers with a protocol_version alert', async () => {
    // The client is allowed down to TLS 1.0 (and OpenSSL's security level 0), so the refusal is the server's.
    const error = await handshake(server.port, { ca: server.certificate.cert, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' })
      .then((socket) => { socket.destroy(); return null; }, (err: NodeJS.ErrnoException) => err);
    expect(error, 'handshake must fail').to.be.instanceOf(Error);
    expect(error!.code).to.equal('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
  });

  it('sends HSTS on every response, with the security headers', async () => {
    await withTrustingFetch(server.certificate.cert, server.url('/healthz'), () => {}, async () => {
      for (const path of ['/healthz', '/.well-known/openid-configuration', '/no-such-page']) {
        const response = await fetch(server.url(path));
        expect(response.headers.get('strict-transport-security'), path).to.equal(HSTS);
        expect(response.headers.get('x-content-type-options'), path).to.equal('nosniff');
      }
    });
  });
});

describe('ops: production issuer must be https unless local', () => {
  const production = {
    NODE_ENV: 'production', COOKIE_KEYS: 'k'.repeat(32), OTP_HMAC_KEY: 'o'.repeat(32), FACTOR_SECRET_KEY: 'f'.repeat(32), EMBEDDED_STORE: 'true',
    SIGNING_KEYS: JSON.stringify({ keys: [{ kty: 'RSA', d: 'x', n: 'x', e: 'AQAB' }] }),
  };
  const issuerProblem = (ISSUER: string) => {
    try {
      loadConfig({ env: { ...production, ISSUER } });
      return undefined;
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      return (err as ConfigError).issues.find((issue) => issue.startsWith('ISSUER'));
    }
  };

  for (const issuer of ['http://id.clinic.example', 'http://10.0.0.5:3000', 'http://localhost.clinic.example']) {
    it(`refuses ${issuer}`, () => expect(issuerProblem(issuer)).to.match(/must be an https URL/));
  }
  for (const issuer of ['https://id.clinic.example', 'http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000']) {
    it(`accepts ${issuer}`, () => expect(issuerProblem(issuer)).to.equal(undefined));
  }
});
