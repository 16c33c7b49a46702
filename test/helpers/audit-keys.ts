/**
 * The audit keys of tests: every test server and CLI run gets AUDIT_KEY = TEST_AUDIT_KEY (so a test
 * can verify what the app wrote), and fixtures that build an audit log directly use `testAuditKeys`.
 */
import { auditKeys } from '../../src/audit/keys.js';

export const TEST_AUDIT_KEY = 'test-audit-key-0123456789abcdef-0123456789';
export const testAuditKeys = auditKeys(TEST_AUDIT_KEY);
