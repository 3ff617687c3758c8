/**
 * A metric's child for each set of label values, made once and kept: prom-client
 * otherwise hashes the labels into a key on every call, which costs a proxied
 * request more than counting it. Labels here are bounded (routes, apps, status
 * codes), so the map is too.
 */
export function childrenBy<Child>(make: (values: readonly string[]) => Child): (...values: string[]) => Child {
  const children = new Map<string, Child>();
  return (...values) => {
    const key = values.join('\u0000');
    let child = children.get(key);
    if (child === undefined) {
      child = make(values);
      children.set(key, child);
    }
    return child;
  };
}
