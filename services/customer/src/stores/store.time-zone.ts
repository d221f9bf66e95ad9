import { z } from 'zod';

/** The zones the runtime's ICU names as canonical; 'UTC' is not among them but is the default. */
const CANONICAL = new Set(Intl.supportedValuesOf('timeZone'));
const CANONICAL_LOWER = new Set([...CANONICAL].map((name) => name.toLowerCase()));
/**
 * An IANA Area/Location name. ICU's canonical list lags IANA renames (it says Asia/Calcutta and
 * Europe/Kiev), so a newer name the runtime still resolves (Asia/Kolkata, Europe/Kyiv) is taken
 * too; abbreviations, offsets and legacy links (EST, GMT+3, US/Eastern) are not.
 */
const AREA_LOCATION =
  /^(?:Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)(?:\/[A-Z][A-Za-z0-9_+-]*){1,2}$/;

/**
 * T1: whether `name` is a time zone a store may keep: known to the runtime (Intl throws a
 * RangeError for an unknown one) and spelled as IANA spells it. Intl resolves names in any case
 * ('europe/istanbul'), but other readers of the stored name (PostgreSQL, a dashboard) may not.
 */
export function isTimeZone(name: string): boolean {
  if (name === 'UTC' || CANONICAL.has(name)) return true;
  if (CANONICAL_LOWER.has(name.toLowerCase()) || !AREA_LOCATION.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z
  .string()
  .trim()
  .refine(isTimeZone, { message: "must be an IANA time zone name, e.g. 'Europe/Istanbul' or 'UTC'" });
