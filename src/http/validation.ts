import { Ajv, type ErrorObject, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { HitchError } from '../errors.ts';
import { jsonText } from '../json-text.ts';

// ajv-formats is CommonJS with a default export; under NodeNext its type is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const common: Options = { useDefaults: true, removeAdditional: false, allErrors: false, strict: false };
// A body field of the wrong type is the caller's mistake and must be a 400, so bodies are never coerced;
// query strings and path parameters arrive as text, so they are.
const bodyAjv = addFormats(new Ajv({ ...common, coerceTypes: false }));
const textAjv = addFormats(new Ajv({ ...common, coerceTypes: 'array' }));

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? bodyAjv : textAjv).compile(schema) as ReturnType<FastifySchemaCompiler<object>>;

function fieldOf(error: ErrorObject, part: string): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') path.push(String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties') path.push(String(error.params.additionalProperty));
  return path.join('.') || part;
}

function sentenceFor(error: ErrorObject, field: string, part: string): string {
  const p = error.params as Record<string, unknown>;
  if (field === part && error.keyword === 'type') return `The request ${part} must be a JSON ${String(p.type)}.`;
  switch (error.keyword) {
    case 'required':
      return `${field} is required.`;
    case 'additionalProperties':
      return `${field} is not a field this request takes.`;
    case 'type':
      return `${field} must be of type ${Array.isArray(p.type) ? p.type.join(' or ') : String(p.type)}.`;
    case 'minLength':
      return `${field} must be at least ${String(p.limit)} characters long.`;
    case 'maxLength':
      return `${field} must be at most ${String(p.limit)} characters long.`;
    case 'enum':
      return `${field} must be one of: ${(p.allowedValues as unknown[]).join(', ')}.`;
    case 'minimum':
    case 'maximum':
      return `${field} ${error.message ?? 'is out of range'}.`;
    case 'pattern':
    case 'format':
      return `${field} is not in the expected format${p.format ? ` (${jsonText(p.format)})` : ''}.`;
    default:
      return `${field} ${error.message ?? 'is not valid'}.`;
  }
}

/** Fastify's schema failure as our 400: the first problem, a sentence, and the field it concerns. */
export function validationError(errors: ErrorObject[], part: string): HitchError {
  // With anyOf/oneOf, Ajv reports each branch; the first concrete problem is the useful one.
  const error = errors.find((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf') ?? errors[0];
  if (!error) return new HitchError('validation_failed');
  const field = fieldOf(error, part);
  return new HitchError('validation_failed', { message: sentenceFor(error, field, part), details: { field } });
}
