/**
 * The services a citizen may delegate with a power of attorney granted here: the service codes
 * of docs/representation.md ("Scope codes") with who may delegate them.
 *
 * A natural person may delegate the services that concern them personally, one by one or one
 * authority's services at once (`se.skatteverket.*`). A company's services (`se.bolagsverket.*`)
 * are delegated by the company's signatory, never by a private power of attorney; and `*` (every
 * service) is reserved for legal bases that are general by law (custody, a company's signatory),
 * so it is never delegable here (ARF RP_01 (c): "clearly limited").
 */
export type Delegator = 'natural_person' | 'company';

export interface ServiceEntry {
  readonly code: string;
  readonly delegableBy: readonly Delegator[];
  readonly sv: string;
  readonly en: string;
}

export const serviceCatalogue: readonly ServiceEntry[] = [
  { code: 'se.skatteverket.deklaration', delegableBy: ['natural_person'], sv: 'Inkomstdeklaration', en: 'Income tax return' },
  { code: 'se.skatteverket.skattekonto', delegableBy: ['natural_person', 'company'], sv: 'Skattekonto', en: 'Tax account' },
  { code: 'se.skatteverket.flyttanmalan', delegableBy: ['natural_person'], sv: 'Flyttanmälan', en: 'Change of address' },
  { code: 'se.skatteverket.*', delegableBy: ['natural_person'], sv: 'Alla Skatteverkets tjänster', en: "All of the Tax Agency's services" },
  { code: 'se.forsakringskassan.foraldrapenning', delegableBy: ['natural_person'], sv: 'Föräldrapenning', en: 'Parental benefit' },
  { code: 'se.forsakringskassan.*', delegableBy: ['natural_person'], sv: 'Alla Försäkringskassans tjänster', en: "All of the Social Insurance Agency's services" },
  { code: 'se.pensionsmyndigheten.*', delegableBy: ['natural_person'], sv: 'Alla Pensionsmyndighetens tjänster', en: "All of the Pensions Agency's services" },
  { code: 'se.kronofogden.*', delegableBy: ['natural_person', 'company'], sv: 'Alla Kronofogdens tjänster', en: "All of the Enforcement Authority's services" },
  { code: 'se.bolagsverket.adressandring', delegableBy: ['company'], sv: 'Ändra företagets adress', en: "Change of the company's address" },
  { code: '*', delegableBy: [], sv: 'Alla tjänster', en: 'Every service' },
];

const byCode: ReadonlyMap<string, ServiceEntry> = new Map(serviceCatalogue.map((s) => [s.code, s]));

/** The catalogue entry of a code, or undefined for a code not offered. */
export const serviceEntry = (code: string): ServiceEntry | undefined => byCode.get(code);

/** The entries a delegator may choose, in catalogue order. */
export const delegableServices = (by: Delegator): readonly ServiceEntry[] => serviceCatalogue.filter((s) => s.delegableBy.includes(by));
