import type { AppInput } from '../schema.ts';

/** OpenAI API: a project API key sent as a Bearer token. */
export const openai: AppInput = {
  id: 'openai',
  name: 'OpenAI',
  category: 'AI',
  docsUrl: 'https://platform.openai.com/docs/api-reference/authentication',
  connections: [
    {
      type: 'apiKey',
      keys: [{ parameter: 'apiKey', in: 'header', name: 'Authorization', prefix: 'Bearer' }],
      baseUrl: 'https://api.openai.com/v1',
      verify: { url: '/models' },
      parameters: [
        {
          name: 'apiKey',
          label: 'API key',
          type: 'password',
          required: true,
          secret: true,
          pattern: 'sk-[A-Za-z0-9_-]+',
          help: 'platform.openai.com → API keys. Project keys can be limited to the endpoints you use.',
        },
      ],
    },
  ],
  fullAccess: {
    docsUrl: 'https://platform.openai.com/docs/api-reference/authentication',
    description:
      'A key can use every endpoint its project allows, unless its permissions were restricted when it was created.',
  },
  modules: [
    {
      id: 'chat-completion',
      name: 'Create a chat completion',
      inputs: [
        { name: 'model', label: 'Model', required: true, help: 'e.g. gpt-4o-mini.', example: 'gpt-4o-mini' },
        { name: 'system', label: 'Instructions', type: 'textarea', default: 'You are a helpful assistant.' },
        {
          name: 'prompt',
          label: 'Message',
          type: 'textarea',
          required: true,
          example: 'Summarize this support ticket in one sentence: my order arrived with a cracked screen.',
        },
      ],
      request: {
        method: 'POST',
        url: '/chat/completions',
        body: {
          model: '{{model}}',
          messages: [
            { role: 'system', content: '{{system}}' },
            { role: 'user', content: '{{prompt}}' },
          ],
        },
        output: 'choices.0.message',
      },
      docsUrl: 'https://platform.openai.com/docs/api-reference/chat/create',
    },
    {
      id: 'create-embedding',
      name: 'Create an embedding',
      inputs: [
        { name: 'model', label: 'Model', required: true, default: 'text-embedding-3-small' },
        {
          name: 'input',
          label: 'Text',
          type: 'textarea',
          required: true,
          example: 'The food was delicious and the waiter was friendly.',
        },
      ],
      request: {
        method: 'POST',
        url: '/embeddings',
        body: { model: '{{model}}', input: '{{input}}' },
        output: 'data.0',
      },
      docsUrl: 'https://platform.openai.com/docs/api-reference/embeddings/create',
    },
    {
      id: 'moderate',
      name: 'Check text for harmful content',
      inputs: [
        {
          name: 'input',
          label: 'Text',
          type: 'textarea',
          required: true,
          example: 'I would like to return my order, it arrived damaged.',
        },
      ],
      request: {
        method: 'POST',
        url: '/moderations',
        body: { model: 'omni-moderation-latest', input: '{{input}}' },
        output: 'results.0',
      },
      docsUrl: 'https://platform.openai.com/docs/api-reference/moderations/create',
    },
    {
      id: 'list-models',
      name: 'List models',
      request: { method: 'GET', url: '/models', output: 'data' },
      docsUrl: 'https://platform.openai.com/docs/api-reference/models/list',
    },
  ],
};
