import { HitchError, invalidField } from '../errors.ts';
import type { ParameterValue } from './parameters.ts';
import { fillMap, fillString, labelOf, oneOf, resolveVerify, valuesOf, type VerifySettings } from './resolve.ts';
import { OAUTH1_SIGNATURE_METHODS, type AppDefinition, type OAuth1KindDefinition } from './schema.ts';
import { pemWithLineBreaks } from '../pem-text.ts';

/** An OAuth 1.0a kind made concrete for one connection: templates filled, the consumer chosen. */
export interface OAuth1Settings {
  requestTokenUrl: string;
  authorizeUrl: string;
  accessTokenUrl: string;
  requestTokenMethod: 'POST' | 'GET';
  accessTokenMethod: 'POST' | 'GET';
  signatureMethod: (typeof OAUTH1_SIGNATURE_METHODS)[number];
  consumer: {
    key: string;
    /** Empty for RSA-SHA1, which signs with the private key. */
    secret: string;
    /** RSA-SHA1 only: PEM. */
    privateKey: string | undefined;
    /** The person's own consumer, not the platform's. */
    own: boolean;
  };
  realm: string | undefined;
  authorizeParameters: Record<string, string>;
  keepFromTokenResponse: string[];
  baseUrl: string | undefined;
  verify: VerifySettings;
}

/**
 * Fills an OAuth 1.0a kind for one connection. The consumer is the person's own
 * when the key is among the parameters, else the platform's (read at start-up).
 */
export function resolveOAuth1(
  app: AppDefinition,
  kind: OAuth1KindDefinition,
  input: { values: Record<string, ParameterValue>; data?: Record<string, unknown>; secrets: Record<string, string> },
  platform: { clientId: string; clientSecret: string | undefined } | null,
): OAuth1Settings {
  const values = valuesOf(kind, input.values, input.data);
  const signatureMethod = oneOf(fill(kind.signatureMethod), OAUTH1_SIGNATURE_METHODS, 'HMAC-SHA1');
  function fill(template: string): string | undefined {
    return fillString(template, values);
  }

  const ownKey = fill(`{{${kind.consumerKeyParameter}}}`) ?? stringOf(input.secrets[kind.consumerKeyParameter]);
  const own = ownKey !== undefined;
  const key = ownKey ?? platform?.clientId;
  const secret = own ? stringOf(input.secrets[kind.consumerSecretParameter]) : platform?.clientSecret;
  const rsa = signatureMethod === 'RSA-SHA1';
  if (!key || (!rsa && !secret)) {
    throw new HitchError('client_missing', {
      message: `${app.name} needs a consumer key and secret: enter your own under advanced settings, or ask an administrator to set HITCH_APP_${app.id.toUpperCase().replace(/-/g, '_')}_CLIENT_ID and _CLIENT_SECRET.`,
      details: { field: `parameters.${kind.consumerKeyParameter}` },
    });
  }
  const privateKey = stringOf(input.secrets[kind.privateKeyParameter]);
  if (rsa && !privateKey)
    throw invalidField(
      `parameters.${kind.privateKeyParameter}`,
      `${labelOf(kind, kind.privateKeyParameter)} is required for RSA-SHA1 signatures.`,
    );

  const required = (field: 'requestTokenUrl' | 'authorizeUrl' | 'accessTokenUrl', label: string): string => {
    const url = fill(kind[field]);
    if (!url || !URL.canParse(url) || !/^https?:\/\//i.test(url))
      throw invalidField(`parameters.${field.replace(/Url$/, 'Uri')}`, `The ${label} must be a full http(s) URL.`);
    return url;
  };
  const baseUrl = fill(kind.baseUrl);
  return {
    requestTokenUrl: required('requestTokenUrl', 'Request token URI'),
    authorizeUrl: required('authorizeUrl', 'Authorize URI'),
    accessTokenUrl: required('accessTokenUrl', 'Access token URI'),
    requestTokenMethod: kind.requestTokenMethod,
    accessTokenMethod: kind.accessTokenMethod,
    signatureMethod,
    consumer: { key, secret: secret ?? '', privateKey: privateKey && pemWithLineBreaks(privateKey), own },
    realm: kind.realm === undefined ? undefined : fill(kind.realm),
    authorizeParameters: fillMap(kind.authorizeParameters, values),
    keepFromTokenResponse: kind.keepFromTokenResponse,
    baseUrl,
    verify: resolveVerify(kind.verify, values, baseUrl),
  };
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
