import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { HitchError, type ErrorCode } from '../../errors.ts';
import { validationError } from '../validation.ts';

/** Fastify's own request failures, in our words. */
const FASTIFY_ERRORS: Record<string, { code: ErrorCode; message?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'body_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'validation_failed', message: 'The request body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'validation_failed',
    message: 'The request body is empty: send a JSON object, or leave out the Content-Type header.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'validation_failed',
    message: 'The request body does not match its Content-Length.',
  },
};

function toHitchError(thrown: unknown): HitchError | null {
  if (thrown instanceof HitchError) return thrown;
  if (!(thrown instanceof Error)) return null;
  // Whatever a handler threw: Fastify's own failures add a code, a status and validation results.
  const error: Error & Partial<FastifyError> = thrown;
  if (error.validation)
    return validationError(
      error.validation as Parameters<typeof validationError>[0],
      error.validationContext ?? 'body',
    );
  const known = error.code ? FASTIFY_ERRORS[error.code] : undefined;
  if (known) return new HitchError(known.code, known.message ? { message: known.message } : {});
  if (error.code?.startsWith('FST_') && error.statusCode === 404) return new HitchError('not_found');
  if (error.code?.startsWith('FST_') && error.statusCode === 405) return new HitchError('method_not_allowed');
  // Any other request-level failure Fastify detected (headers, URL) is the caller's.
  if (error.code?.startsWith('FST_') && error.statusCode === 400) return new HitchError('validation_failed');
  return null;
}

/** A failure as it is answered: `{"error":{"code","message",...details}}`, with Retry-After on a 429 that says when. */
export function errorAnswer(error: HitchError): { status: number; headers: Record<string, string>; body: object } {
  const retryAfter = error.details?.retryAfterSeconds;
  return {
    status: error.status,
    headers:
      error.code === 'rate_limited' && typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {},
    body: { error: { ...error.details, code: error.code, message: error.message } },
  };
}

export function sendError(reply: FastifyReply, error: HitchError): FastifyReply {
  const answer = errorAnswer(error);
  return reply.status(answer.status).headers(answer.headers).send(answer.body);
}

/**
 * Every failure leaves as `{"error":{"code","message",...details}}`. Anything
 * that is not a HitchError is a bug: it is logged in full and answered with a
 * bare 500 so no internal detail (or secret) reaches the caller.
 */
async function errorsPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error: unknown, request, reply) => {
    const known = toHitchError(error);
    if (known) {
      if (known.status >= 500) request.log.error({ err: error }, 'request failed');
      return sendError(reply, known);
    }
    request.log.error({ err: error }, 'unexpected error');
    return sendError(reply, new HitchError('internal'));
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, new HitchError('not_found')));
}

export default fp(errorsPlugin, { name: 'hitch-errors' });
