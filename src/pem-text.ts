/**
 * A private key pasted into a one-line field loses its line breaks; PEM needs
 * them, so they are put back between the armour lines.
 */
export function pemWithLineBreaks(key: string): string {
  const trimmed = key.trim();
  if (trimmed.includes('\n')) return `${trimmed}\n`;
  const armoured = /^(-----BEGIN [A-Z ]+-----)\s*(.+?)\s*(-----END [A-Z ]+-----)$/.exec(trimmed);
  if (!armoured) return trimmed;
  const body = armoured[2]!.replace(/\s+/g, '').replace(/(.{64})/g, '$1\n');
  return `${armoured[1]!}\n${body.replace(/\n$/, '')}\n${armoured[3]!}\n`;
}
