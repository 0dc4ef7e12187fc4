/** Keeps a server plugin's secret values out of what pm logs and reports about it. */

/** Secrets shorter than this are not redacted: replacing every "1" or "on" would garble the log and hide nothing. */
const MIN_SECRET_LENGTH = 4;

/** A function replacing every value of `secrets` in a text with `***` (the identity when there are none). */
export function redactor(secrets: Record<string, string> | undefined): (text: string) => string {
  const values = Object.values(secrets ?? {}).filter((v) => v.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  if (!values.length) return (text) => text;
  return (text) => {
    for (const v of values) if (text.includes(v)) text = text.split(v).join('***');
    return text;
  };
}
