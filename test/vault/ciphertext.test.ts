import { describe, expect, it } from 'vitest';
import { associatedData } from '../../src/vault/ciphertext.ts';

describe('associated data', () => {
  // Stored ciphertexts are bound to these exact bytes: any change of spelling would make every one undecryptable.
  it('is the JSON of [version, key id, table, id, field], for plain and for escaped strings alike', () => {
    const plain = { table: 'connections', id: '019a1111-0000-7000-8000-000000000000', field: 'secrets' };
    const strange = { table: 'keys', id: 'a"b\\c\u2028d\u0001é😀', field: 'value.x:y' };
    for (const [keyId, context] of [
      ['019a0000-0000-7000-8000-000000000000', plain],
      ['legacy', strange],
      ['', { table: 't', id: ' ', field: '/' }],
    ] as const) {
      expect(associatedData(keyId, context).toString('utf8')).toBe(
        JSON.stringify(['v1', keyId, context.table, context.id, context.field]),
      );
    }
  });

  it('differs whenever a part differs, even where parts could run together', () => {
    const a = associatedData('k', { table: 'a', id: 'b,c', field: 'd' });
    const b = associatedData('k', { table: 'a,b', id: 'c', field: 'd' });
    expect(a.equals(b)).toBe(false);
  });
});
