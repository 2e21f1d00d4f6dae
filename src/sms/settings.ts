/**
 * What the notice use case needs, built once at start by the composition root: the templates (read and
 * checked with zod: a bad file stops the start), the lookup link, the encoding, the quiet hours, and the
 * digest that names an opted-out number without keeping it (docs/sms.md, Opt-out).
 */
import type { SmsConfig } from '../../schemas/config.js';
import { type SmsTemplates, SmsTemplatesSchema } from '../../schemas/sms.js';
import { sha256Hex } from '../lib/crypto.js';
import type { LogKey } from '../reconciliation/log-key.js';
import { parseQuietHours, type QuietHours } from './quiet-hours.js';
import type { RenderSettings } from './render.js';

export interface SmsSettings {
  render: RenderSettings;
  quiet: QuietHours;
  /** The opt-out id of a normalised (+84) number. */
  digest(phone: string): string;
}

/** A problem in the template file or the settings, named for the operator. */
export class SmsSettingsError extends Error {}

/** Checks the template file's JSON; throws SmsSettingsError naming every problem. */
export function parseTemplates(json: unknown, source: string): SmsTemplates {
  const parsed = SmsTemplatesSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
  throw new SmsSettingsError(`SMS templates ${source} are invalid:\n  - ${problems.join('\n  - ')}`);
}

/**
 * The opt-out digest: keyed with the reconciliation log's key when there is one (nobody without the key
 * can test a guess); otherwise an unkeyed SHA-256, which a list of every mobile number would reverse.
 */
export function optOutDigest(logKey: LogKey | undefined): (phone: string) => string {
  if (logKey) return (phone) => logKey.digest({ smsOptOut: phone }).replace('hmac:', 'hmac-');
  return (phone) => `sha256-${sha256Hex(`lienthong sms opt-out v1:${phone}`).slice(0, 32)}`;
}

/** The settings from the configuration and the template file's parsed JSON. */
export function smsSettings(
  config: SmsConfig,
  templatesJson: unknown,
  logKey: LogKey | undefined,
): SmsSettings {
  const quiet = parseQuietHours(config.quietHours);
  if (!quiet) throw new SmsSettingsError(`SMS_QUIET_HOURS: cannot read "${config.quietHours}"`);
  return {
    render: {
      templates: parseTemplates(templatesJson, config.templatesPath),
      lookupUrl: config.lookupUrl,
      encoding: config.encoding,
    },
    quiet,
    digest: optOutDigest(logKey),
  };
}
