import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { answerMcp } from '../../agents/mcp-server.ts';
import { HitchError } from '../../errors.ts';
import { authOf, callerOf } from '../auth.ts';

/**
 * `/mcp`: the Model Context Protocol server for agents (Streamable HTTP,
 * stateless), authenticated by an API token and bounded by its grants
 * (src/agents/). POST answers; GET is 405, since no stream is offered; DELETE
 * is accepted, there being no session to end. A request that names an Origin
 * must come from PUBLIC_URL, as the specification asks against DNS rebinding.
 */
const mcpRoutes: FastifyPluginAsync = async (app) => {
  const publicOrigin = new URL(app.hitch.config.publicUrl).origin;
  const config = { acceptsRestrictedTokens: true } as const;

  const checkCaller = (request: FastifyRequest) => {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== publicOrigin) throw new HitchError('origin_mismatch');
    const auth = authOf(request);
    if (auth.via !== 'token')
      throw new HitchError('unauthenticated', {
        message: 'The MCP server accepts API tokens only: send Authorization: Bearer <token>.',
      });
    return auth;
  };

  app.post('/mcp', { config }, async (request, reply) => {
    const auth = checkCaller(request);
    const agents = app.hitch.agents;
    if (!agents) throw new HitchError('unavailable');
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers))
      if (typeof value === 'string') headers.set(name, value);
    const answer = await answerMcp(
      agents,
      {
        caller: await callerOf(request),
        tokenId: auth.tokenId,
        tokenName: auth.tokenName,
        restriction: auth.restriction,
      },
      new Request(`${publicOrigin}/mcp`, { method: 'POST', headers, body: JSON.stringify(request.body) }),
      request.body,
    );
    reply.status(answer.status);
    answer.headers.forEach((value: string, name: string) => void reply.header(name, value));
    return reply.send(await answer.text());
  });

  app.get('/mcp', { config }, async (request, reply) => {
    checkCaller(request);
    reply.header('allow', 'POST, DELETE');
    throw new HitchError('method_not_allowed', {
      message: 'This MCP server streams nothing: send requests with POST.',
    });
  });

  app.delete('/mcp', { config }, async (request, reply) => {
    checkCaller(request);
    return reply.status(204).send();
  });
};

export default mcpRoutes;
