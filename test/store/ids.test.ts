import { describe, expect, it } from 'vitest';
import { isId, newId } from '../../src/ids.ts';

describe('ids', () => {
  it('sort in the order they were made, within one millisecond too', () => {
    const now = Date.now();
    for (let round = 0; round < 20; round++) {
      const ids = Array.from({ length: 100 }, () => newId(now + round));
      expect([...ids].sort()).toEqual(ids);
    }
    const later = newId(now + 1000);
    expect(later > newId(now)).toBe(true);
  });

  it('are UUIDv7s whose time is the one given, and differ in their random part', () => {
    const at = Date.UTC(2026, 11, 2, 12, 0, 0, 123);
    const ids = Array.from({ length: 1000 }, () => newId(at));
    for (const id of ids) {
      expect(isId(id)).toBe(true);
      expect(id[14]).toBe('7');
      expect('89ab').toContain(id[19]);
      expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    }
    expect(new Set(ids.map((id) => id.slice(19))).size).toBe(ids.length);
  });
});
