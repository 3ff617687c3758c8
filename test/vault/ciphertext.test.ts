import { describe, expect, it } from 'vitest';
import { associatedData, formatCiphertext, parseCiphertext } from '../../src/vault/ciphertext.ts';

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

describe('the stored form', () => {
  // Every miss of the token path parses one: cut by hand, it must still refuse what split refused.
  it('is read back whole, and anything but exactly four non-empty parts under v1 is refused', () => {
    const nonce = Buffer.alloc(12, 1);
    const sealed = Buffer.alloc(30, 2);
    const text = formatCiphertext('019a0000-0000-7000-8000-000000000000', nonce, sealed);
    expect(parseCiphertext(text)).toEqual({
      keyId: '019a0000-0000-7000-8000-000000000000',
      nonce: nonce.toString('base64url'),
      sealed: sealed.toString('base64url'),
    });
    for (const bad of [
      '',
      'v1',
      'v1.',
      'v1.k',
      'v1.k.n',
      'v1.k.n.',
      'v1.k..s',
      'v1..n.s',
      'v1.k.n.s.',
      'v1.k.n.s.x',
      'v2.k.n.s',
      'v10.k.n.s',
      'xv1.k.n.s',
      '.v1.k.n.s',
    ]) {
      expect(parseCiphertext(bad), bad).toBeNull();
    }
  });
});
