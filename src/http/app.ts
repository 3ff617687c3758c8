import http from 'node:http';
import cookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import authentication from './plugins/authentication.ts';
import errors, { sendError } from './plugins/errors.ts';
import { HitchError } from '../errors.ts';
import forwarded from './plugins/forwarded.ts';
import gracefulClose from './plugins/graceful-close.ts';
import hostRedirect from './plugins/host-redirect.ts';
import jsonBody from './plugins/json-body.ts';
import metricsPlugin from './plugins/metrics.ts';
import rateLimit from './plugins/rate-limit.ts';
import requestLog from './plugins/request-log.ts';
import { lazyChildLogger } from './lazy-child-logger.ts';
import securityHeaders, { securityHeaderValues } from './plugins/security-headers.ts';
import webApp from './plugins/web-app.ts';
import appsRoutes from './routes/apps.ts';
import authRoutes from './routes/auth.ts';
import connectionsRoutes from './routes/connections.ts';
import keysRoutes from './routes/keys.ts';
import scenariosRoutes, { connectionReplaceRoutes, executionsRoutes, modulesRoutes } from './routes/scenarios.ts';
import eventsRoutes from './routes/events.ts';
import approvalsRoutes from './routes/approvals.ts';
import notificationsRoutes from './routes/notifications.ts';
import proxyRoutes from './routes/proxy.ts';
import { createProxyLane, proxyTarget } from './proxy-lane.ts';
import { requestIds } from './request-ids.ts';
import webhooksRoutes from './routes/webhooks.ts';
import oauthCallbackRoutes from './routes/oauth-callback.ts';
import healthRoutes from './routes/health.ts';
import meRoutes from './routes/me.ts';
import openApiRoutes, { registerOpenApi } from './routes/openapi.ts';
import membersRoutes from './routes/members.ts';
import mcpRoutes from './routes/mcp.ts';
import tokensRoutes from './routes/tokens.ts';
import usersRoutes from './routes/users.ts';
import type { HttpServices } from './services.ts';
import { validatorCompiler } from './validation.ts';
import type { Metrics } from '../metrics/registry.ts';
import { trustedProxies } from '../trusted-proxies.ts';

export type { HttpServices } from './services.ts';

/** The API's version in the OpenAPI document; bump on a change clients must notice. */
const API_VERSION = '1.0.0';
/** Fastify's default `keepAliveTimeout`, which it sets only on a server it makes itself. */
const FASTIFY_KEEP_ALIVE_TIMEOUT_MS = 72_000;

export interface HttpAppOptions {
  /** Largest request body accepted, bytes (413 beyond). */
  bodyLimitBytes?: number;
  /** Deadline of one proxied call, headers and body (default 60 s). */
  proxyTimeoutMs?: number;
  /** Serves GET /metrics and times every request; none in tests that do not need it. */
  metrics?: Metrics;
}

/**
 * The Fastify application: cross-cutting plugins, then one plugin per resource
 * under its prefix. Route plugins reach the services through `app.hitch` and the
 * caller through `request.auth`, `resolveTeam` and `requireTeamRole` (./auth.ts).
 */
export function buildHttpApp(services: HttpServices, options: HttpAppOptions = {}): FastifyInstance {
  const { config } = services;
  const trusted = trustedProxies(config.trustProxy);
  // Typed as Fastify's base logger so the app is a plain FastifyInstance to every plugin.
  const loggerInstance: FastifyBaseLogger = services.log;
  const nextRequestId = requestIds();
  const lane = createProxyLane(services, {
    requestId: nextRequestId,
    ...(options.proxyTimeoutMs ? { timeoutMs: options.proxyTimeoutMs } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  const app = Fastify({
    // The proxy's addresses go to its lane before Fastify's lifecycle (./proxy-lane.ts says why).
    serverFactory: (handler) => {
      const server = http.createServer((req, res) => {
        const target = req.url === undefined ? null : proxyTarget(req.url);
        if (target) lane.serve(req, res, { target });
        else handler(req, res);
      });
      // What Fastify sets on a server it makes itself: keep-alive past its load balancer's, no request deadline.
      server.keepAliveTimeout = FASTIFY_KEEP_ALIVE_TIMEOUT_MS;
      server.requestTimeout = 0;
      return server;
    },
    // request.ip, request.host and request.protocol follow forwarding headers only from HITCH_TRUST_PROXY's proxies.
    ...(config.trustProxy.length > 0 ? { trustProxy: (address: string) => trusted(address) } : {}),
    loggerInstance,
    genReqId: () => nextRequestId(),
    // Our request-log plugin writes one redacted line per request instead.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyChildLogger,
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    // Failures the router meets before any route (a path part too long, a malformed URL) would
    // otherwise answer in Fastify's own shape, echoing the whole path back.
    frameworkErrors: (error, request, reply) => {
      // These answers skip the onSend hooks, so the security headers are set here.
      // The reply is thenable (it settles once sent); nothing here waits for that.
      void sendError(
        reply.headers({
          ...securityHeaderValues(services.config.publicUrl.startsWith('https:')),
          'cache-control': 'no-store',
        }),
        // A static file's address that cannot even be decoded names no file: 404, like every other asset error.
        request.url.startsWith('/assets/')
          ? new HitchError('not_found')
          : new HitchError('validation_failed', {
              message:
                error.code === 'FST_ERR_MAX_PARAM_LENGTH'
                  ? 'A part of the address is too long.'
                  : 'The address is not valid.',
            }),
      );
    },
  });

  app.setValidatorCompiler(validatorCompiler);
  // JSON in and out: a text/plain body gets a 415, not a confusing validation error.
  app.removeContentTypeParser('text/plain');
  app.decorate('hitch', services);
  // Before any route: every JSON body anywhere is depth-checked.
  app.register(jsonBody);

  // Cross-cutting concerns, in the order they meet a request.
  app.register(errors);
  app.register(securityHeaders, { https: config.publicUrl.startsWith('https:') });
  app.register(requestLog);
  app.register(gracefulClose);
  app.register(forwarded, { trusted });
  app.register(hostRedirect, { publicUrl: config.publicUrl });
  app.register(cookie);
  app.register(authentication, { publicUrl: config.publicUrl });
  app.register(rateLimit);
  if (options.metrics) app.register(metricsPlugin, { metrics: options.metrics, token: config.metricsToken });
  // Before the routes: it collects their schemas as they register.
  registerOpenApi(app, { publicUrl: config.publicUrl, version: API_VERSION });

  // Routes: one plugin per resource. New resources register here, with their prefix.
  app.register(healthRoutes);
  app.register(authRoutes, { prefix: '/api/v1/auth' });
  app.register(meRoutes, { prefix: '/api/v1/me' });
  app.register(usersRoutes, { prefix: '/api/v1/users' });
  app.register(membersRoutes, { prefix: '/api/v1/teams' });
  app.register(tokensRoutes, { prefix: '/api/v1/tokens' });
  app.register(appsRoutes, { prefix: '/api/v1/apps' });
  app.register(connectionsRoutes, { prefix: '/api/v1/connections' });
  app.register(connectionReplaceRoutes, { prefix: '/api/v1/connections' });
  app.register(scenariosRoutes, { prefix: '/api/v1/scenarios' });
  app.register(modulesRoutes, { prefix: '/api/v1/modules' });
  app.register(keysRoutes, { prefix: '/api/v1/keys' });
  app.register(proxyRoutes, { prefix: '/api/v1/connections', lane });
  app.addHook('preClose', (done) => {
    lane.stopping();
    done();
  });
  app.register(eventsRoutes, { prefix: '/api/v1/events' });
  app.register(notificationsRoutes, { prefix: '/api/v1/notifications' });
  app.register(approvalsRoutes, { prefix: '/api/v1/approvals' });
  app.register(executionsRoutes, { prefix: '/api/v1/executions' });
  app.register(webhooksRoutes, { prefix: '/api/v1/teams' });
  app.register(mcpRoutes);
  app.register(oauthCallbackRoutes);
  app.register(openApiRoutes);
  // The React app (web/) at `/`: the product people use, over the API above.
  app.register(webApp);

  return app;
}
