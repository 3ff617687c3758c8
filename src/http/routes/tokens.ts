import type { FastifyPluginAsync } from 'fastify';
import { HitchError } from '../../errors.ts';
import { isId } from '../../ids.ts';
import { authOf } from '../auth.ts';
import { keysetPage, pageQueryProperties, pageSchema, type PageQuery } from '../pagination.ts';
import { apiTokenSchema, nameSchema, paramsSchema } from '../schemas.ts';

const notFound = () => new HitchError('not_found', { message: 'You have no API token with this id.' });

/** Personal API tokens: the token is in the 201 answer and nowhere else, ever. */
const tokensRoutes: FastifyPluginAsync = async (app) => {
  const { accounts } = app.hitch;

  app.post<{ Body: { name: string } }>(
    '/',
    {
      schema: {
        body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: nameSchema } },
        response: {
          201: {
            ...apiTokenSchema,
            required: [...apiTokenSchema.required, 'token'],
            properties: { ...apiTokenSchema.properties, token: { type: 'string' } },
          },
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await accounts.createApiToken(authOf(request).user.id, request.body.name)),
  );

  app.get<{ Querystring: PageQuery }>(
    '/',
    {
      schema: {
        querystring: { type: 'object', additionalProperties: false, properties: pageQueryProperties },
        response: { 200: pageSchema(apiTokenSchema) },
      },
    },
    async (request) =>
      keysetPage(
        request.query,
        (page) => accounts.listApiTokens(authOf(request).user.id, page),
        (t) => t.id,
      ),
  );

  app.delete<{ Params: { id: string } }>('/:id', { schema: { params: paramsSchema('id') } }, async (request, reply) => {
    if (!isId(request.params.id) || !(await accounts.revokeApiToken(authOf(request).user.id, request.params.id)))
      throw notFound();
    return reply.status(204).send();
  });
};

export default tokensRoutes;
