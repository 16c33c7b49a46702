// SMART scopes as the consent page words them.
import { expect } from 'chai';
import { describeSmartScope } from '../../../src/smart/scope-text.js';

describe('smart scope text', () => {
  const cases: Array<[string, string | undefined]> = [
    ['user/Observation.rs', "Read and search your patients' Observations"],
    ['patient/Observation.read', "Read and search the current patient's Observations"],
    ['patient/*.cruds', "Create, read, update, delete and search the current patient's records of every kind"],
    ['user/AllergyIntolerance.r', "Read your patients' AllergyIntolerances"],
    ['patient/ImagingStudy.s', "Search the current patient's ImagingStudies"],
    ['patient/Observation.rs?category=laboratory', "Read and search the current patient's Observations (only those where category=laboratory)"],
    ['launch/patient', 'Know which patient you choose'],
    ['openid', undefined],
  ];
  for (const [scope, text] of cases) {
    it(`${scope} → ${text ?? '(not SMART)'}`, () => expect(describeSmartScope(scope)).to.equal(text));
  }
});
