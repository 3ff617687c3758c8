/**
 * Request ids as Fastify makes them (`req-1`, `req-2`, … in base 36, wrapping at 2³¹), from one
 * counter shared by Fastify and the proxy lane, so every log line of an instance names its request
 * with an id no other request of that instance has at the time.
 */
export function requestIds(): () => string {
  let next = 0;
  return () => {
    next = (next + 1) & 0x7fffffff;
    return `req-${next.toString(36)}`;
  };
}
