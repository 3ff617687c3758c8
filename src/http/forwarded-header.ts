/**
 * RFC 7239 `Forwarded`: comma-separated elements, each `name=value` pairs
 * separated by semicolons, a value a token or a quoted string. Read in one pass
 * over the characters, so a hostile header costs its length and nothing more.
 */
export type ForwardedElement = Partial<Record<'for' | 'host' | 'proto' | 'by', string>>;

export function parseForwarded(header: string): ForwardedElement[] {
  const elements: ForwardedElement[] = [];
  let element: ForwardedElement = {};
  let name = '';
  let value = '';
  let inValue = false;
  let quoted = false;
  const endPair = () => {
    const key = name.trim().toLowerCase();
    if (inValue && (key === 'for' || key === 'host' || key === 'proto' || key === 'by')) element[key] = value.trim();
    name = '';
    value = '';
    inValue = false;
  };
  for (let i = 0; i < header.length; i++) {
    const c = header[i]!;
    if (quoted) {
      if (c === '\\' && i + 1 < header.length) value += header[++i]!;
      else if (c === '"') quoted = false;
      else value += c;
    } else if (c === '"' && inValue) quoted = true;
    else if (c === '=' && !inValue) inValue = true;
    else if (c === ';') endPair();
    else if (c === ',') {
      endPair();
      elements.push(element);
      element = {};
    } else if (inValue) value += c;
    else name += c;
  }
  endPair();
  elements.push(element);
  return elements;
}

/** A `for=` node as an address: `[2001:db8::1]:4711` → `2001:db8::1`, `192.0.2.1:80` → `192.0.2.1`; `unknown` and `_hidden` stay as they are. */
export function nodeAddress(node: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d+)?$/.exec(node);
  if (bracketed) return bracketed[1]!;
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(node);
  return v4WithPort ? v4WithPort[1]! : node;
}
