import type { ConnectionPermissions } from '../api/types.ts';

type Endpoint = ConnectionPermissions['endpoints'][number];

/** `GET /repos/{owner}/{repo}`, or the whole connection for a generic module without settings. */
function describe(endpoint: Endpoint): string {
  if (endpoint.method === '*' && endpoint.origin === '*' && endpoint.path === '/*')
    return 'anything the connection reaches';
  const where = endpoint.origin && endpoint.origin !== '*' ? endpoint.origin : '';
  return `${endpoint.method === '*' ? 'any method' : endpoint.method} ${where}${endpoint.path}`;
}

/**
 * What the saved scenario may call through each of its connections: the
 * endpoints its modules declare (a generic module's by its Allowed method and
 * path). Hitch refuses any other call before it reaches the service.
 */
export function EndpointGrants({
  connections,
  intro = 'Through its connections, this scenario may call only these endpoints:',
}: {
  connections: ConnectionPermissions[];
  intro?: string;
}) {
  const used = connections.filter((c) => c.endpoints.length > 0);
  if (used.length === 0) return null;
  return (
    <section aria-labelledby="endpoint-grants">
      <h2 id="endpoint-grants">Endpoints</h2>
      <p>{intro}</p>
      {used.map((connection) => (
        <div key={connection.connectionId} role="group" aria-label={`Endpoints of ${connection.name}`}>
          <h3>{connection.name}</h3>
          <ul>
            {connection.endpoints.map((endpoint) => (
              <li key={`${endpoint.method} ${endpoint.origin ?? ''}${endpoint.path}`}>
                <code>{describe(endpoint)}</code>{' '}
                <small>
                  (module{endpoint.modules.length === 1 ? '' : 's'} {endpoint.modules.join(', ')})
                </small>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
