import { z } from 'zod';
import { appSchema } from './schema.ts';

/**
 * The JSON Schema of an app file, generated from the one zod schema (its input
 * side, so fields with defaults are optional), committed as apps/schema.json
 * (`npm run apps:schema`) and served at GET /api/v1/apps/schema.json, so an
 * editor checks a file as it is typed. The rules across fields (templates
 * naming declared parameters, duplicate ids) are zod's alone: `hitch apps
 * check` runs them.
 */
export function appJsonSchema(): Record<string, unknown> {
  const { required, ...generated } = z.toJSONSchema(appSchema, {
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      // JSON Schema's "uri" is RFC 3986, stricter than the WHATWG URL zod checks with (a `{` in a
      // documentation link's fragment); say what zod says, the scheme, instead.
      if (jsonSchema.format !== 'uri') return;
      const protocol = (zodSchema._zod.def as { protocol?: RegExp }).protocol;
      delete jsonSchema.format;
      jsonSchema.pattern = `^${protocol ? `(${protocol.source.replace(/^\^|\$$/g, '')})` : '[A-Za-z][A-Za-z0-9+.-]*'}:`;
    },
  });
  return {
    ...generated,
    title: 'Hitch app',
    description:
      'One app of the Hitch catalog (apps/<id>.json, or a file in HITCH_APPS_DIR). See docs/apps.md for how to write one.',
    // A file that extends a preset may leave out what the preset gives.
    ...(required ? { anyOf: [{ required: ['extends'] }, { required }] } : {}),
  };
}

/** The committed text of apps/schema.json. */
export function appJsonSchemaText(): string {
  return `${JSON.stringify(appJsonSchema(), null, 2)}\n`;
}
