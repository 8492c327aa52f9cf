import { ApiError } from "./problem";

export type TFormErrors<Field extends string> = {
  /** One message per field, from the problem's `errors[].path`. */
  fields: Partial<Record<Field, string>>;
  /** What cannot be pinned on a field: shown above the form. */
  form: string | null;
};

// Ajv's wording is for developers. When one of these is all the server said about a field, the
// form's own hint for that field reads better ("Enter a domain like acme.com").
const TECHNICAL = [
  /^must match format/,
  /^must match pattern/,
  /^must be null$/,
  /^must match a schema in anyOf$/,
  /^must be (string|number|integer|boolean)/,
  /^must NOT have (more|fewer) than/,
  /^must be [<>]=?/,
];

/**
 * Splits an API error into messages for the form's fields and one for the form. `hints` gives
 * a plain message per field used in place of a technical one; `conflictField` is the field a
 * 409 is about (an email already taken).
 */
export function formErrorsFrom<Field extends string>(
  error: unknown,
  known: readonly Field[],
  options: { hints?: Partial<Record<Field, string>>; conflictField?: Field } = {},
): TFormErrors<Field> {
  if (!(error instanceof ApiError)) return { fields: {}, form: "Something went wrong. Try again." };
  if (error.status === 0) {
    return { fields: {}, form: "Keepdesk can't be reached. Check your connection; nothing was saved." };
  }
  if (error.status === 409 && options.conflictField) {
    return {
      fields: { [options.conflictField]: error.problem?.detail ?? "Already taken" } as never,
      form: null,
    };
  }
  const byField = new Map<string, string[]>();
  for (const { path, message } of error.problem?.errors ?? []) {
    const field = path.split("/").filter(Boolean)[0] ?? "";
    byField.set(field, [...(byField.get(field) ?? []), message]);
  }
  const fields: Partial<Record<Field, string>> = {};
  const rest: string[] = [];
  for (const [field, messages] of byField) {
    if (!(known as readonly string[]).includes(field)) {
      rest.push(...messages.map((message) => (field ? `${field}: ${message}` : message)));
      continue;
    }
    const plain = messages.find((message) => !TECHNICAL.some((pattern) => pattern.test(message)));
    const hint = options.hints?.[field as Field];
    fields[field as Field] = plain ? sentence(plain) : (hint ?? sentence(messages[0] ?? "Check this value"));
  }
  let form: string | null = null;
  if (rest.length > 0) form = rest.join("; ");
  else if (byField.size === 0) {
    form =
      error.status >= 500
        ? `Keepdesk ran into a problem (${error.status}). Nothing was saved; try again in a moment.`
        : error.status === 403
          ? "You don't have permission to do that."
          : (error.problem?.detail ?? error.message);
  }
  return { fields, form };
}

/** "must not be blank" → "Must not be blank." */
function sentence(message: string): string {
  const trimmed = message.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
