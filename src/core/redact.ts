// Redaction for anything that leaves the machine (the support bundle): secrets removed, customer personal data
// masked. Both walk any JSON value and return a new one; the input is never changed.

export const REDACTED = '[redacted]';

/** Keys whose values are secrets wherever they appear (tokens, keys, consumer secrets, auth headers). */
export const SECRET_KEY = /token|secret|password|passwd|authorization|cookie|api[-_]?key|consumer[-_]?key|private[-_]?key|access[-_]?key/i;

/** Query parameters that carry a secret in a URL: the keys above, plus `key`, `sig`/`signature` and `auth`. */
const SECRET_PARAM = new RegExp(`${SECRET_KEY.source}|^key$|^sig$|^signature$|^auth$|^oauth_`, 'i');

/** `?name=value` / `&name=value` / `;name=value` anywhere in a string (URLs, log lines, messages). */
const QUERY_PARAM = /([?&;])([^=&#?;\s"'<>]+)=([^&#;\s"'<>]*)/g;

/** An Authorization header's value written out ("Bearer xyz", "Basic xyz"). */
const AUTH_SCHEME = /\b(Bearer|Basic|Token|Digest)\s+[A-Za-z0-9._~+/=-]{6,}/g;

export interface RedactOptions {
  /** secret values to scrub anywhere in strings (stored tokens, environment secrets) */
  secrets?: readonly (string | null | undefined)[];
}

/** The forms a secret takes in text: as is, URL-encoded, form-encoded. */
function secretForms(secrets: readonly (string | null | undefined)[]): string[] {
  const forms = new Set<string>();
  for (const raw of secrets) {
    const value = raw?.trim();
    // very short values would scrub unrelated text; real secrets are long
    if (!value || value.length < 4) continue;
    forms.add(value);
    forms.add(encodeURIComponent(value));
    forms.add(new URLSearchParams({ v: value }).toString().slice(2));
    forms.add(Buffer.from(value).toString('base64'));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/** Scrubs one string: the listed secret values, secret query parameters and written-out auth headers. */
export function redactString(text: string, options: RedactOptions = {}): string {
  return scrubber(secretForms(options.secrets ?? []))(text);
}

function scrubber(forms: string[]): (text: string) => string {
  return (text) => {
    let out = text;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    out = out.replace(QUERY_PARAM, (whole, lead: string, name: string, value: string) =>
      value !== '' && value !== REDACTED && SECRET_PARAM.test(decodeName(name)) ? `${lead}${name}=${REDACTED}` : whole,
    );
    out = out.replace(AUTH_SCHEME, (_whole, scheme: string) => `${scheme} ${REDACTED}`);
    return out;
  };
}

/**
 * Every secret removed from a JSON value: values under secret-looking keys become "[redacted]" (null stays null,
 * so "not set" still shows), and every string is scrubbed of the listed secrets, secret query parameters and
 * auth header values. Keys are scrubbed too (a URL used as a key).
 */
export function redactSecrets<T>(value: T, options: RedactOptions = {}): T {
  const scrub = scrubber(secretForms(options.secrets ?? []));
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return scrub(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
        out[scrub(key)] = SECRET_KEY.test(key) && child !== null && child !== undefined && child !== '' ? REDACTED : walk(child);
      }
      return out;
    }
    return node;
  };
  return walk(value) as T;
}

// ---------------------------------------------------------------------------------------------------------
// Customer personal data

/** Keys that hold personal data wherever they appear. */
const PERSONAL_KEY =
  /^(first[-_]?name|last[-_]?name|full[-_]?name|middle[-_]?name|given[-_]?name|family[-_]?name|sur[-_]?name|customer[-_]?name|ship(ping)?[-_]?name|bill(ing)?[-_]?name|recipient([-_]?name)?|contact[-_]?name|attention|e[-_]?mail|(customer|contact|billing|shipping|ship|bill)[-_]?e[-_]?mail|(customer|contact|billing|shipping|ship|bill)[-_]?phone|phone([-_]?number)?|mobile|telephone|tel|fax|address[-_]?[12]?|address[-_]?line[-_]?[12]|(ship|bill)(ping|ing)?[-_]?address[-_]?[12]?|street([-_]?address)?|street[-_]?[12]|zip|zip[-_]?code|postal[-_]?code|postcode|customer)$/i;

/** Objects whose `name`, `company` and similar plain keys are a person's (an address, a customer). */
const PERSONAL_OBJECT =
  /^(customer|recipient|contact|destination|ship[-_]?to|bill[-_]?to|(shipping|billing|ship|bill)[-_]?(address|contact|info)?|address|default[-_]?address|addresses|buyer|consignee)$/i;

/** Plain keys that are a person's inside a personal object. */
const PERSONAL_IN_OBJECT = /^(name|company|line[-_]?[12]|street|address)$/i;

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/**
 * Keeps the first character of each word and the shape: letters and digits become '*'. "Jane Smith" → "J*** S****".
 * With `whole`, only the value's first character stays (phones: "+1 555-867-5309" → "+* ***-***-****").
 */
export function maskText(text: string, whole = false): string {
  const star = (chars: string[]) => chars.map((ch) => (/[\p{L}\p{N}]/u.test(ch) ? '*' : ch)).join('');
  if (whole) {
    const [first = '', ...rest] = [...text];
    return first + star(rest);
  }
  return text
    .split(/(\s+)/)
    .map((part) => {
      if (/^\s*$/.test(part)) return part;
      const [first = '', ...rest] = [...part];
      return first + star(rest);
    })
    .join('');
}

const PHONE_KEY = /phone|mobile|tel|fax/i;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A phone number as written anywhere: its digits with any separators between them. */
function phonePattern(value: string): RegExp | null {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 7) return null;
  const tail = digits.slice(-10);
  return new RegExp(tail.split('').map(escapeRegex).join('[\\s().+-]*'), 'g');
}

/**
 * Customer personal data masked in a JSON value: names, emails, phones and street addresses under personal keys
 * (and inside address and customer objects) become "J*** S****"; every email address in any string is masked;
 * and each value found that way is masked again wherever else it appears in a string (a message naming the
 * customer, a phone number written differently).
 */
export function maskCustomerData<T>(value: T): T {
  const found = new Map<string, string>();
  const phones: RegExp[] = [];
  const remember = (text: string, key: string) => {
    const trimmed = text.trim();
    if (trimmed.length < 2) return;
    const phone = PHONE_KEY.test(key);
    found.set(trimmed, maskText(trimmed, phone));
    if (phone) {
      const pattern = phonePattern(trimmed);
      if (pattern) phones.push(pattern);
    } else if (/name|customer|recipient|attention/i.test(key)) {
      // a person's name may show up in parts ("Dear Jane"); street words ("Main", "Street") are not collected
      for (const word of trimmed.split(/\s+/)) if (word.length >= 3 && /\p{L}/u.test(word)) found.set(word, maskText(word));
    }
  };
  const collect = (node: unknown, personal: boolean) => {
    if (Array.isArray(node)) {
      for (const child of node) collect(child, personal);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
      const isPersonal = PERSONAL_KEY.test(key) || (personal && PERSONAL_IN_OBJECT.test(key));
      if (typeof child === 'string' && isPersonal) remember(child, key);
      else collect(child, personal || PERSONAL_OBJECT.test(key));
    }
  };
  collect(value, false);

  const words = [...found.keys()].sort((a, b) => b.length - a.length);
  const maskString = (text: string): string => {
    let out = text.replace(EMAIL, (email) => maskText(email));
    for (const pattern of phones) out = out.replace(pattern, (match) => maskText(match, true));
    for (const word of words) {
      if (!out.includes(word)) continue;
      // whole words only for single words, so "Ann" does not mask "Annual"
      const pattern = /\s/.test(word) ? new RegExp(escapeRegex(word), 'g') : new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegex(word)}(?![\\p{L}\\p{N}])`, 'gu');
      out = out.replace(pattern, found.get(word) as string);
    }
    return out;
  };
  const walk = (node: unknown, personal: boolean): unknown => {
    if (typeof node === 'string') return maskString(node);
    if (Array.isArray(node)) return node.map((child) => walk(child, personal));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
        const isPersonal = PERSONAL_KEY.test(key) || (personal && PERSONAL_IN_OBJECT.test(key));
        out[key] = typeof child === 'string' && isPersonal ? maskText(child, PHONE_KEY.test(key)) : walk(child, personal || PERSONAL_OBJECT.test(key));
      }
      return out;
    }
    return node;
  };
  return walk(value, false) as T;
}

/**
 * The secret values in a JSON value (to scrub them wherever else they appear): strings whose own key looks
 * secret ({token: "…"}, {consumerKey: "…"}), or that are listed under one. A plain field inside an object
 * under a secret key ({tokens: {shopify: {store: "…"}}}) is not collected: it is redacted with its parent.
 */
export function collectSecretValues(value: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown, secret: boolean) => {
    if (typeof node === 'string') {
      if (secret && node.trim() !== '') found.push(node);
      return;
    }
    if (Array.isArray(node)) {
      for (const child of node) walk(child, secret);
      return;
    }
    if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node as Record<string, unknown>)) walk(child, SECRET_KEY.test(key));
    }
  };
  walk(value, false);
  return found;
}
