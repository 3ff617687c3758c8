import { describe, expect, it } from 'vitest';
import { BufferedResponse } from '../../src/outbound/buffered-response.ts';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The same answer as fetch's own Response and as the buffered one. */
function both(bytes: Buffer | null, status = 200): [Response, Response] {
  const headers = new Headers({ 'content-type': 'application/json', 'x-one': 'a' });
  return [
    new Response(bytes === null ? null : new Uint8Array(bytes), { status, headers: new Headers(headers) }),
    new BufferedResponse(bytes, { status, headers }, 'https://api.example.com/token'),
  ];
}

async function outcome(read: () => Promise<unknown>): Promise<unknown> {
  try {
    const value = await read();
    return value instanceof ArrayBuffer ? { bytes: [...new Uint8Array(value)] } : { value };
  } catch (error) {
    return { error: (error as Error).constructor.name };
  }
}

describe('a buffered answer reads as fetch reads it', () => {
  const bodies: Array<[string, Buffer]> = [
    ['JSON', Buffer.from('{"access_token":"é","n":1}')],
    ['JSON after a byte-order mark', Buffer.concat([BOM, Buffer.from('{"a":1}')])],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xff, 0x7d])],
    ['no JSON', Buffer.from('<html>')],
    ['nothing', Buffer.alloc(0)],
  ];
  for (const [name, bytes] of bodies) {
    it(`${name}: text, json, arrayBuffer, a second read, clone, body and bodyUsed`, async () => {
      for (const method of ['text', 'json', 'arrayBuffer', 'bytes'] as const) {
        const [plain, buffered] = both(bytes);
        if (method === 'bytes' && typeof plain.bytes !== 'function') continue; // Node 20's Response has none
        expect(buffered.bodyUsed).toBe(false);
        const first = await outcome(() => buffered[method]());
        expect(first).toEqual(await outcome(() => plain[method]()));
        expect(buffered.bodyUsed).toBe(plain.bodyUsed);
        // Read once: fetch refuses a second read and a clone.
        expect(await outcome(() => buffered.text())).toEqual(await outcome(() => plain.text()));
        expect(() => buffered.clone()).toThrow(TypeError);
      }
      const [plain, buffered] = both(bytes);
      const copy = buffered.clone();
      expect(await copy.text()).toBe(await plain.clone().text());
      expect(await new Response(buffered.body).text()).toBe(await plain.text());
      expect(buffered.bodyUsed).toBe(true);
      await expect(buffered.json()).rejects.toThrow(TypeError);
    });
  }

  it('keeps status, headers and url, and has no body for a status without one', async () => {
    const [, buffered] = both(null, 204);
    expect(buffered.status).toBe(204);
    expect(buffered.headers.get('x-one')).toBe('a');
    expect(buffered.url).toBe('https://api.example.com/token');
    expect(buffered.body).toBeNull();
    expect(await buffered.text()).toBe('');
  });
});
