import { normaliseHexColour, whiteTextReadable } from './brand-colour.js';
import { isLanguage } from './i18n/languages.js';
import { isValidEmail } from './roles.js';

/**
 * The organisation profile: who the training is branded for and whom employees contact. One document;
 * the admin edits it in the app (preview, then save). Course placeholders such as `{{org.name}}` and
 * `{{contact.comms}}` are filled from it through `placeholderValues`.
 */
export const CONTACT_KINDS = ['comms', 'hr', 'security', 'privacy', 'whistleblowing'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

export const CONTACT_LABELS: Record<ContactKind, string> = {
  comms: 'Communications and press',
  hr: 'HR',
  security: 'Security incidents',
  privacy: 'Privacy and data protection',
  whistleblowing: 'Whistleblowing channel',
};

export const REGIONS = ['us', 'uk', 'eu', 'ca', 'au', 'other'] as const;
export type Region = (typeof REGIONS)[number];
export const REGION_LABELS: Record<Region, string> = {
  us: 'United States',
  uk: 'United Kingdom',
  eu: 'EU/EEA',
  ca: 'Canada',
  au: 'Australia',
  other: 'Other',
};

export interface Contact {
  name: string;
  /** An e-mail address, an http(s) URL or a chat channel (`#comms-help`, `@security`). */
  channel: string;
}

/** The profile's values an admin types (the logo travels separately, as checked bytes). */
export interface OrgProfileValues {
  name: string;
  shortName: string;
  brandColour: string;
  contacts: Record<ContactKind, Contact>;
  clientListUrl: string;
  regions: Region[];
  /** The language for people who chose none and whose browser asks for none we ship. */
  defaultLanguage?: string;
}

export interface LogoInfo {
  contentType: 'image/png' | 'image/svg+xml';
  sha256: string;
  bytes: number;
}

export interface OrgProfile extends OrgProfileValues {
  logo: LogoInfo | null;
  updatedAt: Date | null;
  updatedBy: string | null;
}

/** The flat form an admin submits: `commsName`, `commsChannel`, …, `regions` (one or many). */
export type OrgProfileForm = Record<string, string | string[] | undefined>;
/** A field's problem: a message key of the admin catalogue ("admin.org.errors.*") and its values. */
export interface FieldError {
  field: string;
  message: string;
  values?: Record<string, string | number>;
}

/** Before an admin saves a profile: a neutral name, the default header colour, no contacts. */
export const DEFAULT_PROFILE: OrgProfile = {
  name: 'Policy Training',
  shortName: 'Policy Training',
  brandColour: '#1d3557',
  contacts: Object.fromEntries(CONTACT_KINDS.map((k) => [k, { name: '', channel: '' }])) as Record<
    ContactKind,
    Contact
  >,
  clientListUrl: '',
  regions: [],
  logo: null,
  updatedAt: null,
  updatedBy: null,
};

const CHAT_CHANNEL = /^[#@][a-z0-9][a-z0-9._-]{0,79}$/i;

function isWebUrl(text: string): boolean {
  if (!/^https?:\/\//i.test(text)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/** Whether a contact channel is an e-mail address, a web address or a chat channel. */
export function isValidChannel(text: string): boolean {
  return isValidEmail(text) || isWebUrl(text) || CHAT_CHANNEL.test(text);
}

const text = (form: OrgProfileForm, field: string) => {
  const v = form[field];
  return typeof v === 'string' ? v.normalize('NFC').trim() : '';
};

/** A required text of at most `max` characters, with the messages (catalogue keys) for missing and too long. */
function requiredText(
  form: OrgProfileForm,
  field: string,
  message: { required: string; tooLong: string; values?: Record<string, string> },
  max: number,
  errors: FieldError[],
) {
  const v = text(form, field);
  if (!v) errors.push({ field, message: message.required, values: message.values });
  else if (v.length > max)
    errors.push({ field, message: message.tooLong, values: { ...message.values, max } });
  return v;
}

const CONTACT_NAME = {
  required: 'admin.org.errors.contactNameRequired',
  tooLong: 'admin.org.errors.contactNameTooLong',
};

function readContacts(form: OrgProfileForm, errors: FieldError[]): Record<ContactKind, Contact> {
  const contacts = {} as Record<ContactKind, Contact>;
  for (const kind of CONTACT_KINDS) {
    const name = requiredText(form, `${kind}Name`, { ...CONTACT_NAME, values: { kind } }, 120, errors);
    const channel = text(form, `${kind}Channel`);
    if (!isValidChannel(channel) || channel.length > 200)
      errors.push({
        field: `${kind}Channel`,
        message: 'admin.org.errors.contactChannel',
        values: { kind },
      });
    contacts[kind] = { name, channel };
  }
  return contacts;
}

function readRegions(form: OrgProfileForm, errors: FieldError[]): Region[] {
  const ticked = [form.regions ?? []].flat();
  const regions = REGIONS.filter((r) => ticked.includes(r));
  if (regions.length === 0 || regions.length !== new Set(ticked).size)
    errors.push({ field: 'regions', message: 'admin.org.errors.regions' });
  return regions;
}

/** Reads and checks the admin's form: the values, or every problem next to its field. */
export function parseProfileForm(
  form: OrgProfileForm,
): { ok: true; values: OrgProfileValues } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const name = requiredText(
    form,
    'name',
    { required: 'admin.org.errors.nameRequired', tooLong: 'admin.org.errors.nameTooLong' },
    120,
    errors,
  );
  const shortName = requiredText(
    form,
    'shortName',
    { required: 'admin.org.errors.shortNameRequired', tooLong: 'admin.org.errors.shortNameTooLong' },
    40,
    errors,
  );
  const colourText = text(form, 'brandColour');
  const brandColour = normaliseHexColour(colourText);
  if (!brandColour) errors.push({ field: 'brandColour', message: 'admin.org.errors.brandColour' });
  else if (!whiteTextReadable(brandColour))
    errors.push({
      field: 'brandColour',
      message: 'admin.org.errors.contrast',
    });
  const contacts = readContacts(form, errors);
  const clientListUrl = text(form, 'clientListUrl');
  if (!isWebUrl(clientListUrl) || clientListUrl.length > 500)
    errors.push({
      field: 'clientListUrl',
      message: 'admin.org.errors.clientListUrl',
    });
  const regions = readRegions(form, errors);
  // The organisation's default language: one the product ships, or none (English then).
  const defaultLanguage = text(form, 'defaultLanguage');
  if (defaultLanguage !== '' && !isLanguage(defaultLanguage))
    errors.push({ field: 'defaultLanguage', message: 'account.language.invalid' });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    values: { name, shortName, brandColour: brandColour!, contacts, clientListUrl, regions, defaultLanguage },
  };
}

/** The profile's values as the flat form fields (to fill the edit form and the preview's hidden fields). */
export function profileToForm(values: OrgProfileValues): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = {
    name: values.name,
    shortName: values.shortName,
    brandColour: values.brandColour,
    clientListUrl: values.clientListUrl,
    regions: [...values.regions],
    defaultLanguage: values.defaultLanguage ?? '',
  };
  for (const kind of CONTACT_KINDS) {
    form[`${kind}Name`] = values.contacts[kind].name;
    form[`${kind}Channel`] = values.contacts[kind].channel;
  }
  return form;
}

/** What changed between two profiles, field by field (for the audit log). */
export function profileChanges(
  before: OrgProfileValues & { logo: LogoInfo | null },
  after: OrgProfileValues & { logo: LogoInfo | null },
): Record<string, { from: unknown; to: unknown }> {
  const flat = (p: OrgProfileValues & { logo: LogoInfo | null }) => ({
    ...profileToForm(p),
    logoSha256: p.logo?.sha256 ?? null,
    logoType: p.logo?.contentType ?? null,
  });
  const a: Record<string, unknown> = flat(before);
  const b: Record<string, unknown> = flat(after);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(b))
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key]))
      changes[key] = { from: a[key] ?? null, to: b[key] };
  return changes;
}

/** The name as one word for hashtags, handles and repository owners (`#{{org.tag}}Life`): letters and digits only. */
function orgTag(name: string): string {
  return name.normalize('NFC').replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * Every placeholder name a course file may use, with its value from the profile: `org.name`,
 * `org.shortName`, `org.tag`, `org.clientListUrl`, `org.regions`, `contact.<kind>` (the channel) and
 * `contact.<kind>.name`. Values are plain text; whoever renders them escapes them.
 */
export function placeholderValues(profile: OrgProfileValues): ReadonlyMap<string, string> {
  const values = new Map<string, string>([
    ['org.name', profile.name],
    ['org.shortName', profile.shortName],
    ['org.tag', orgTag(profile.name)],
    ['org.clientListUrl', profile.clientListUrl],
    ['org.regions', profile.regions.map((r) => REGION_LABELS[r]).join(', ')],
  ]);
  for (const kind of CONTACT_KINDS) {
    values.set(`contact.${kind}`, profile.contacts[kind].channel);
    values.set(`contact.${kind}.name`, profile.contacts[kind].name);
  }
  return values;
}

/** The names `placeholderValues` fills (what `content:check` may accept). */
export const PLACEHOLDER_NAMES: readonly string[] = [...placeholderValues(DEFAULT_PROFILE).keys()];
