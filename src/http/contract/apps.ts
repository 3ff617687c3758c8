import { INPUT_TYPES } from '../../catalog/schema.ts';
/** The catalog as people browse it before connecting. */
const strings = { type: 'array', items: { type: 'string' } } as const;
const options = {
  type: 'array',
  items: {
    type: 'object',
    required: ['value', 'label'],
    properties: { value: { type: 'string' }, label: { type: 'string' } },
  },
} as const;
const anyValue = {} as const;
/** A module input's options carry the value of the input's type (Linear's priority is a number). */
const inputOptions = {
  type: 'array',
  items: {
    type: 'object',
    required: ['value', 'label'],
    properties: { value: { type: ['string', 'number', 'boolean'] }, label: { type: 'string' } },
  },
} as const;

const summarySchema = {
  type: 'object',
  required: ['id', 'name', 'category', 'auth', 'modules'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    category: { type: 'string' },
    auth: strings,
    modules: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'scopes'],
        properties: { id: { type: 'string' }, name: { type: 'string' }, scopes: strings },
      },
    },
  },
} as const;

const parameterSchema = {
  type: 'object',
  required: ['name', 'label', 'type', 'required', 'secret', 'advanced', 'editable', 'destination'],
  properties: {
    name: { type: 'string' },
    label: { type: 'string' },
    type: { type: 'string' },
    help: { type: 'string' },
    required: { type: 'boolean' },
    secret: { type: 'boolean' },
    advanced: { type: 'boolean' },
    editable: { type: 'boolean' },
    destination: { type: 'boolean' },
    pattern: { type: 'string' },
    options,
    default: anyValue,
    fills: { type: 'object', additionalProperties: { type: 'string' } },
  },
} as const;

/** One of a module's inputs, as the catalog declares it (../../catalog/schema.ts); the apps and the modules listings share it. */
export const moduleInputSchema = {
  type: 'object',
  required: ['name', 'label', 'type', 'required'],
  properties: {
    name: { type: 'string' },
    label: { type: 'string' },
    type: { type: 'string', enum: INPUT_TYPES },
    required: { type: 'boolean' },
    allowEmpty: { type: 'boolean' },
    help: { type: 'string' },
    default: anyValue,
    example: anyValue,
    options: inputOptions,
  },
} as const;

/** The response schema is a second guard: token URLs, quirks and environment values are not listed, so they cannot leave. */
const descriptionSchema = {
  type: 'object',
  required: ['id', 'name', 'category', 'auth', 'scopes', 'fullAccess', 'modules'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    category: { type: 'string' },
    docsUrl: { type: 'string' },
    authDocsUrl: { type: 'string' },
    scopesDocsUrl: { type: 'string' },
    logo: { type: 'string' },
    auth: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'parameters'],
        properties: {
          type: { type: 'string', enum: ['oauth2', 'apiKey', 'basic', 'oauth1', 'session', 'jwt'] },
          flow: { type: 'string', enum: ['authorization_code', 'client_credentials', 'assertion', 'installation'] },
          redirectUri: { type: 'string' },
          platformClient: { type: 'boolean' },
          baseScopes: strings,
          parameters: { type: 'array', items: parameterSchema },
        },
      },
    },
    scopes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'description'],
        properties: { name: { type: 'string' }, description: { type: 'string' } },
      },
    },
    fullAccess: {
      type: ['object', 'null'],
      properties: { docsUrl: { type: 'string' }, description: { type: 'string' } },
    },
    modules: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'scopes', 'inputs'],
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          description: { type: 'string' },
          scopes: strings,
          inputs: { type: 'array', items: moduleInputSchema },
          docsUrl: { type: 'string' },
        },
      },
    },
  },
} as const;

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } } as const;

/** `/api/v1/apps`. */
export const appRoutes = {
  'GET /apps': {
    reply: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: summarySchema } } },
  },
  'GET /apps/:id': { params: idParams, reply: descriptionSchema },
  'GET /apps/schema.json': {
    description: 'The JSON Schema of an app file, as committed in apps/schema.json.',
    reply: { type: 'object', additionalProperties: true },
  },
} as const;
