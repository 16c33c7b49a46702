// SMART scope syntax (v2 and v1), coverage by a registered scope, and the decision for a request.
import { expect } from 'chai';
import { covers, decideScopes, parseClinicalScope, registeredScopeProblem, type ClinicalScope } from '../../../src/smart/scopes.js';

describe('smart scopes', () => {
  const parses: Array<[string, string | null]> = [
    ['patient/Observation.rs', 'patient/Observation.rs'],
    ['user/*.cruds', 'user/*.cruds'],
    ['system/Patient.r', 'system/Patient.r'],
    ['patient/Observation.rs?category=laboratory', 'patient/Observation.rs?category=laboratory'],
    ['patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory&status=final', 'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory&status=final'],
    // v1 forms map to v2.
    ['patient/Observation.read', 'patient/Observation.rs'],
    ['user/*.write', 'user/*.cud'],
    ['system/*.*', 'system/*.cruds'],
    // Not SMART clinical scopes.
    ['openid', null],
    ['launch/patient', null],
    ['practitioner/Observation.rs', null],
    ['patient/Observation.sr', null],
    ['patient/Observation.rr', null],
    ['patient/Observation.x', null],
    ['patient/Observation.', null],
    ['patient/observation.rs', null],
    ['patient/Observation', null],
    ['patient/Observation.read?category=x', null],
    ['patient/Observation.rs?category', null],
    ['patient/Observation.rs?a=b&&c=d', null],
  ];
  for (const [scope, v2] of parses) {
    it(`${scope} → ${v2 ?? 'not a clinical scope'}`, () => {
      expect(parseClinicalScope(scope)?.v2 ?? null).to.equal(v2);
    });
  }

  const scope = (text: string) => parseClinicalScope(text) as ClinicalScope;
  const coverage: Array<[string, string, boolean]> = [
    ['patient/*.rs', 'patient/Observation.r', true],
    ['patient/*.rs', 'patient/Observation.rs?category=laboratory', true],
    ['patient/Observation.rs', 'patient/Condition.r', false],
    ['patient/*.rs', 'user/Observation.r', false],
    ['patient/*.rs', 'patient/Observation.c', false],
    ['patient/Observation.rs?category=laboratory', 'patient/Observation.rs?category=laboratory', true],
    ['patient/Observation.rs?category=laboratory', 'patient/Observation.rs', false],
    ['patient/Observation.rs?category=laboratory', 'patient/Observation.rs?category=vital-signs', false],
  ];
  for (const [allowed, requested, expected] of coverage) {
    it(`${allowed} ${expected ? 'covers' : 'does not cover'} ${requested}`, () => {
      expect(covers(scope(allowed), scope(requested))).to.equal(expected);
    });
  }

  it('decides a sign-in request: v2 grants, refusals, launch scopes, non-SMART scopes left alone', () => {
    const registered = ['user/Observation.rs', 'patient/*.r', 'launch', 'launch/patient'];
    expect(decideScopes(['openid', 'user/Observation.read', 'patient/Condition.r', 'launch/patient'], registered, ['patient', 'user']))
      .to.deep.equal({ granted: ['user/Observation.rs', 'patient/Condition.r', 'launch/patient'], refused: [] });
    expect(decideScopes(['user/Observation.cruds', 'launch/encounter', 'system/*.rs'], registered, ['patient', 'user']))
      .to.deep.equal({ granted: [], refused: ['user/Observation.cruds', 'launch/encounter', 'system/*.rs'] });
  });

  it('decides a client credentials request: system scopes only', () => {
    expect(decideScopes(['system/*.rs', 'patient/*.r', 'launch'], ['system/*.rs', 'patient/*.r', 'launch'], ['system']))
      .to.deep.equal({ granted: ['system/*.rs'], refused: ['patient/*.r', 'launch'] });
  });

  it('checks scopes an operator registers', () => {
    expect(registeredScopeProblem('patient/*.rs')).to.equal(undefined);
    expect(registeredScopeProblem('launch/patient')).to.equal(undefined);
    expect(registeredScopeProblem('patient/*.everything')).to.match(/not a SMART scope/);
  });
});
