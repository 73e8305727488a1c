/**
 * Header parameters of From/To-style values (`"Name" <sip:uri;uri-param>;tag=…`, RFC 3261 §20.20).
 * Parameters inside the angle brackets belong to the URI, so only the text after `>` is searched;
 * without brackets the URI cannot carry parameters and everything after the first `;` is the header's.
 */

/** The text holding the header parameters, starting at the first `;` (or empty). */
function headerParamText(value: string): string {
  let inQuotes = false;
  let closingBracket = -1;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (inQuotes) {
      if (ch === '\\') i++;
      else if (ch === '"') inQuotes = false;
    } else if (ch === '"') inQuotes = true;
    else if (ch === '>') {
      closingBracket = i;
      break;
    }
  }
  const rest = value.slice(closingBracket + 1);
  const semicolon = rest.indexOf(';');
  return semicolon === -1 ? '' : rest.slice(semicolon);
}

export function getTag(value: string): string | undefined {
  const match = /;\s*tag\s*=\s*([^;\s]+)/i.exec(headerParamText(value));
  return match?.[1];
}

export function withTag(value: string, tag: string): string {
  if (getTag(value) !== undefined) return value;
  return `${value.trimEnd()};tag=${tag}`;
}
