import type { AppInput } from '../schema.ts';

/** Every request names the API version it was written for. */
const VERSION = { 'anthropic-version': '2023-06-01' };

/**
 * Anthropic API: a Console API key in the `x-api-key` header, with the fixed
 * `anthropic-version` header on every request.
 */
export const anthropic: AppInput = {
  id: 'anthropic',
  name: 'Anthropic',
  category: 'AI',
  docsUrl: 'https://docs.anthropic.com/en/api/overview',
  connections: [
    {
      type: 'apiKey',
      keys: [{ parameter: 'apiKey', in: 'header', name: 'x-api-key' }],
      baseUrl: 'https://api.anthropic.com',
      verify: { url: '/v1/models', headers: VERSION },
      parameters: [
        {
          name: 'apiKey',
          label: 'API key',
          type: 'password',
          required: true,
          secret: true,
          pattern: 'sk-ant-[A-Za-z0-9_-]+',
          help: 'console.anthropic.com → Settings → API keys.',
        },
      ],
    },
  ],
  fullAccess: {
    docsUrl: 'https://docs.anthropic.com/en/api/overview',
    description: 'A key can use every API endpoint for its workspace.',
  },
  modules: [
    {
      id: 'create-message',
      name: 'Create a message',
      inputs: [
        {
          name: 'model',
          label: 'Model',
          required: true,
          help: 'A model ID from “List models”.',
          example: 'claude-sonnet-4-20250514',
        },
        {
          name: 'system',
          label: 'System prompt',
          type: 'textarea',
          example: 'You are a concise assistant. Answer in plain English.',
        },
        {
          name: 'prompt',
          label: 'Message',
          type: 'textarea',
          required: true,
          example: 'Summarize this support ticket in two sentences: the customer cannot reset their password.',
        },
        { name: 'max_tokens', label: 'Maximum tokens', type: 'number', required: true, default: 1024 },
      ],
      request: {
        method: 'POST',
        url: '/v1/messages',
        headers: VERSION,
        body: {
          model: '{{model}}',
          max_tokens: '{{max_tokens}}',
          system: '{{system}}',
          messages: [{ role: 'user', content: '{{prompt}}' }],
        },
      },
      docsUrl: 'https://docs.anthropic.com/en/api/messages',
    },
    {
      id: 'count-tokens',
      name: 'Count tokens',
      inputs: [
        { name: 'model', label: 'Model', required: true, example: 'claude-sonnet-4-20250514' },
        {
          name: 'prompt',
          label: 'Message',
          type: 'textarea',
          required: true,
          example: 'Hello, Claude! How many tokens is this message?',
        },
      ],
      request: {
        method: 'POST',
        url: '/v1/messages/count_tokens',
        headers: VERSION,
        body: { model: '{{model}}', messages: [{ role: 'user', content: '{{prompt}}' }] },
      },
      docsUrl: 'https://docs.anthropic.com/en/api/messages-count-tokens',
    },
    {
      id: 'list-models',
      name: 'List models',
      request: { method: 'GET', url: '/v1/models', headers: VERSION, output: 'data' },
      docsUrl: 'https://docs.anthropic.com/en/api/models-list',
    },
  ],
};
