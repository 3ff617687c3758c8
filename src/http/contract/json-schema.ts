/**
 * The TypeScript type a JSON schema describes, for the subset Hitch's route
 * schemas use: `type` (one or a list), `enum`, `properties` with `required`,
 * `items`, `additionalProperties`, and `anyOf` (the union of its branches).
 * Schemas are written `as const`, so the one schema that validates a request
 * or filters a reply is also its type: change a field and the route handler
 * and the web app stop compiling until they agree.
 *
 * Replies are filtered by their schema, so an object type has exactly the
 * listed properties; one with no `properties` (or `additionalProperties: true`)
 * is an open record.
 */
export type FromSchema<S> = S extends { readonly anyOf: readonly (infer B)[] }
  ? FromSchema<B>
  : S extends { readonly enum: readonly (infer E)[] }
    ? E
    : S extends { readonly type: infer T }
      ? OfType<S, T extends readonly (infer U)[] ? U : T>
      : unknown;

type OfType<S, T> = T extends 'string'
  ? string
  : T extends 'integer' | 'number'
    ? number
    : T extends 'boolean'
      ? boolean
      : T extends 'null'
        ? null
        : T extends 'array'
          ? S extends { readonly items: infer I }
            ? Array<FromSchema<I>>
            : unknown[]
          : T extends 'object'
            ? ObjectOf<S>
            : never;

type RequiredOf<S> = S extends { readonly required: readonly (infer R)[] } ? R : never;

type Open<S> = S extends { readonly additionalProperties: true } ? Record<string, unknown> : unknown;

type ObjectOf<S> = S extends { readonly properties: infer P }
  ? Flatten<
      { -readonly [K in keyof P & RequiredOf<S>]: FromSchema<P[K]> } & {
        -readonly [K in Exclude<keyof P, RequiredOf<S>>]?: FromSchema<P[K]>;
      }
    > &
      Open<S>
  : Record<string, unknown>;

type Flatten<T> = T extends object ? { [K in keyof T]: T[K] } : T;
