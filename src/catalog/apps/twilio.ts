import type { AppInput } from '../schema.ts';

/**
 * Twilio: HTTP Basic with the Account SID as user name and the auth token as
 * password. Request bodies are form-encoded and resources live below the
 * account's own path.
 */
export const twilio: AppInput = {
  id: 'twilio',
  name: 'Twilio',
  category: 'Communication',
  docsUrl: 'https://www.twilio.com/docs/usage/requests-to-twilio',
  connections: [
    {
      type: 'basic',
      usernameParameter: 'accountSid',
      passwordParameter: 'authToken',
      baseUrl: 'https://api.twilio.com/2010-04-01/Accounts/{{accountSid}}',
      verify: {
        url: 'https://api.twilio.com/2010-04-01/Accounts/{{accountSid}}.json',
        accountId: ['sid'],
        accountLabel: ['friendly_name', 'sid'],
      },
      parameters: [
        {
          name: 'accountSid',
          label: 'Account SID',
          required: true,
          pattern: 'AC[0-9a-fA-F]{32}',
          help: 'Console home → Account Info.',
        },
        { name: 'authToken', label: 'Auth token', type: 'password', required: true, secret: true },
      ],
    },
  ],
  fullAccess: {
    docsUrl: 'https://www.twilio.com/docs/iam/api-keys/restricted-api-keys',
    description: 'The auth token can do everything on the account.',
  },
  modules: [
    {
      id: 'send-sms',
      name: 'Send an SMS',
      inputs: [
        { name: 'To', label: 'To', required: true, help: 'In E.164 form, e.g. +14155552671.', example: '+15558675310' },
        {
          name: 'From',
          label: 'From',
          required: true,
          help: 'One of your Twilio numbers, in E.164 form.',
          example: '+15017122661',
        },
        {
          name: 'Body',
          label: 'Message',
          type: 'textarea',
          required: true,
          example: 'Your order has shipped and arrives on Friday.',
        },
      ],
      request: {
        method: 'POST',
        url: '/Messages.json',
        bodyType: 'form',
        body: { To: '{{To}}', From: '{{From}}', Body: '{{Body}}' },
      },
      docsUrl: 'https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource',
    },
    {
      id: 'list-messages',
      name: 'List messages',
      inputs: [
        { name: 'To', label: 'Sent to', example: '+15558675310' },
        { name: 'From', label: 'Sent from', example: '+15017122661' },
        { name: 'PageSize', label: 'How many', type: 'number', default: 50 },
      ],
      request: {
        method: 'GET',
        url: '/Messages.json',
        query: { To: '{{To}}', From: '{{From}}', PageSize: '{{PageSize}}' },
        output: 'messages',
      },
      docsUrl: 'https://www.twilio.com/docs/messaging/api/message-resource#read-multiple-message-resources',
    },
    {
      id: 'make-call',
      name: 'Make a phone call',
      inputs: [
        { name: 'To', label: 'To', required: true, example: '+15558675310' },
        { name: 'From', label: 'From', required: true, example: '+15017122661' },
        {
          name: 'Twiml',
          label: 'TwiML',
          type: 'textarea',
          required: true,
          help: 'What the call does, e.g. <Response><Say>Hello</Say></Response>.',
          example: '<Response><Say>Hello, your table is ready.</Say></Response>',
        },
      ],
      request: {
        method: 'POST',
        url: '/Calls.json',
        bodyType: 'form',
        body: { To: '{{To}}', From: '{{From}}', Twiml: '{{Twiml}}' },
      },
      docsUrl: 'https://www.twilio.com/docs/voice/api/call-resource#create-a-call-resource',
    },
  ],
};
