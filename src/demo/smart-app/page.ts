// Renders the demo SMART app's page from what its last token response carried.
import { fileURLToPath } from 'node:url';
import pug from 'pug';

export interface LaunchContext {
  patient?: string;
  encounter?: string;
  fhirUser?: string;
  scope?: string;
  needPatientBanner?: boolean;
  /** How the app was started: "EHR launch" or "standalone launch". */
  kind: string;
}

const template = pug.compileFile(fileURLToPath(new URL('./views/smart-app.pug', import.meta.url)));

export function renderSmartAppPage(model: { context?: LaunchContext; error?: string }): string {
  const context = model.context && {
    bannerPatient: model.context.needPatientBanner ? model.context.patient : undefined,
    rows: [
      ['launch', model.context.kind],
      ['patient', model.context.patient],
      ['encounter', model.context.encounter],
      ['fhirUser', model.context.fhirUser],
      ['scope', model.context.scope],
      ['need_patient_banner', model.context.needPatientBanner === undefined ? undefined : String(model.context.needPatientBanner)],
    ].filter(([, value]) => value !== undefined).map(([name, value]) => ({ name, value })),
  };
  return template({ context, error: model.error });
}
