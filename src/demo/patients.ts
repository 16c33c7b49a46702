// Made-up patients for the demo's EHR launch and patient picker. The names are plainly fictional;
// no record here belongs to anyone.
export interface DemoPatient {
  id: string;
  name: string;
  born: string;
  /** The open encounter an EHR launch from the chart passes along. */
  encounter: string;
}

export const DEMO_PATIENTS: readonly DemoPatient[] = [
  { id: 'demo-pat-1', name: 'Avery Madeup (fictional)', born: '1984-02-29', encounter: 'demo-enc-101' },
  { id: 'demo-pat-2', name: 'Jordan Placeholder (fictional)', born: '1951-11-05', encounter: 'demo-enc-102' },
  { id: 'demo-pat-3', name: 'Sam Notreal (fictional)', born: '2016-07-14', encounter: 'demo-enc-103' },
];

export function demoPatient(id: unknown): DemoPatient | undefined {
  return DEMO_PATIENTS.find((patient) => patient.id === id);
}
