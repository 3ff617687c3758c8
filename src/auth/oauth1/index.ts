/** OAuth 1.0a (RFC 5849): the three legs, and signing. */
export { buildAuthorizationUrl, validateAuthorizationCallback } from './resource-owner-authorization.ts';
export { SIGNATURE_METHODS, type OAuth1Client, type OAuth1Token, type SignatureMethod } from './signature.ts';
export { temporaryCredentialsRequest } from './temporary-credentials.ts';
export { tokenCredentialsRequest, type TokenCredentials } from './token-credentials.ts';
