// Prometheus metrics in a registry of the app's own (never the global one: tests run several apps
// in one process). Domain counters follow the audit log (see `countAuditEntry`): every security
// event is audited exactly once, so counting audit entries counts each event exactly once, and
// only once it is durably recorded.
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** What the counters read of an audit entry (src/store/models/audit-entry.ts). */
export interface CountedEntry {
  event: string;
  outcome: string;
  reasons: readonly string[];
  details?: Record<string, unknown> | null;
}

export interface Metrics {
  registry: Registry;
  /** The audit log's observer. */
  countAuditEntry(entry: CountedEntry): void;
  observeRequest(labels: { method: string; route: string; status: number }, seconds: number): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });

  const signIns = counter('idp_sign_ins_total', 'Sign-in steps by outcome (password_succeeded, password_failed with its reason, completed)', ['outcome', 'reason']);
  const mfaDecisions = counter('idp_mfa_decisions_total', 'Second-factor decisions (required or waived), one per risk reason', ['decision', 'reason']);
  const codesSent = counter('idp_mfa_codes_sent_total', 'One-time codes sent, by channel', ['channel', 'resend']);
  const deliveryFailures = counter('idp_mfa_code_delivery_failures_total', 'One-time codes that could not be delivered, by channel and reason', ['channel', 'reason']);
  const codeChecks = counter('idp_mfa_code_checks_total', 'One-time code entries and burnt codes', ['outcome']);
  const lockouts = counter('idp_account_lockouts_total', 'Accounts locked after too many failures', []);
  const latency = new Histogram({
    name: 'idp_http_request_duration_seconds',
    help: 'Request latency by route pattern',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const first = (entry: CountedEntry) => entry.reasons[0] ?? 'none';
  const channel = (entry: CountedEntry) => {
    const value = (entry.details as { channel?: unknown } | null)?.channel;
    return value === 'sms' || value === 'email' ? value : 'unknown';
  };

  return {
    registry,
    countAuditEntry(entry) {
      switch (entry.event) {
        case 'signin.password.succeeded': signIns.inc({ outcome: 'password_succeeded', reason: 'none' }); break;
        case 'signin.password.failed': signIns.inc({ outcome: 'password_failed', reason: first(entry) }); break;
        case 'signin.completed': signIns.inc({ outcome: 'completed', reason: 'none' }); break;
        case 'mfa.required':
        case 'mfa.waived':
          for (const reason of entry.reasons.length > 0 ? entry.reasons : ['none']) {
            mfaDecisions.inc({ decision: entry.event === 'mfa.required' ? 'required' : 'waived', reason });
          }
          break;
        case 'mfa.code.sent': {
          const resend = (entry.details as { resend?: unknown } | null)?.resend === true;
          codesSent.inc({ channel: channel(entry), resend: String(resend) });
          break;
        }
        case 'mfa.code.delivery_failed': deliveryFailures.inc({ channel: channel(entry), reason: first(entry) }); break;
        case 'mfa.code.verified': codeChecks.inc({ outcome: 'verified' }); break;
        case 'mfa.code.failed': codeChecks.inc({ outcome: 'failed' }); break;
        case 'mfa.code.burned': codeChecks.inc({ outcome: 'burned' }); break;
        case 'account.locked': lockouts.inc(); break;
        default: break;
      }
    },
    observeRequest({ method, route, status }, seconds) {
      latency.observe({ method, route, status: String(status) }, seconds);
    },
  };
}
