// SMART scopes as the consent page words them: the domain says what to say (a key and its parts,
// no words), the page says it in the reader's language with that language's word order.
import { expect } from 'chai';
import { scopeSentence } from '../../../src/i18n/smart-scopes.js';
import { withLanguage } from '../../../src/i18n/request.js';
import { describeSmartScope } from '../../../src/smart/scope-text.js';

const say = (language: 'en' | 'es', scope: string) => {
  const text = describeSmartScope(scope);
  return text && withLanguage(language, () => scopeSentence(text));
};

describe('smart scope text', () => {
  const cases: Array<[string, string | undefined, string | undefined]> = [
    ['user/Observation.rs', "Read and search your patients' Observations", 'Ver y buscar los registros Observation de sus pacientes'],
    ['patient/Observation.read', "Read and search the current patient's Observations", 'Ver y buscar los registros Observation del paciente actual'],
    ['patient/*.cruds', "Create, read, update, delete and search the current patient's records of every kind", 'Crear, ver, modificar, eliminar y buscar los registros de todo tipo del paciente actual'],
    ['user/AllergyIntolerance.r', "Read your patients' AllergyIntolerances", 'Ver los registros AllergyIntolerance de sus pacientes'],
    ['patient/ImagingStudy.s', "Search the current patient's ImagingStudies", 'Buscar los registros ImagingStudy del paciente actual'],
    ['system/Patient.r', 'Read all Patients', 'Ver todos los registros Patient'],
    ['patient/Observation.rs?category=laboratory&status=final', "Read and search the current patient's Observations (only those where category=laboratory and status=final)",
      'Ver y buscar los registros Observation del paciente actual (solo aquellos donde category=laboratory y status=final)'],
    ['launch/patient', 'Know which patient you choose', 'Saber qué paciente elige usted'],
    ['openid', undefined, undefined],
  ];
  for (const [scope, english, spanish] of cases) {
    it(`${scope} → ${english ?? '(not SMART)'}`, () => {
      expect(say('en', scope)).to.equal(english);
      expect(say('es', scope)).to.equal(spanish);
    });
  }

  it('is pure: the domain returns a key and parts, never words', () => {
    expect(describeSmartScope('user/Observation.rs')).to.deep.equal({
      key: 'smart:clinical.user', verbs: ['read', 'search'], resource: 'Observation', resourcePlural: 'Observations', conditions: [],
    });
  });
});
