import { api } from '../api/client.ts';
import type { ConnectionView, ReauthorizeResponse } from '../api/types.ts';
import { authorizeInThisTab, openConsentWindow, waitForConsent, type Outcome } from './consent.ts';

/**
 * Reauthorizes the same connection (with `scopes` added, for Extend permissions).
 * Call it from the click handler itself, so the popup is allowed. Resolves
 * with the outcome, or never when the tab goes to the service (popups blocked).
 */
export async function reauthorizeConnection(connection: ConnectionView, options: { scopes?: string[]; moduleIndex?: number; signal?: AbortSignal } = {}): Promise<Outcome> {
  const popup = connection.auth === 'oauth2' ? openConsentWindow() : null;
  try {
    const { authorizeUrl } = await api<ReauthorizeResponse>('POST', `/connections/${connection.id}/reauthorize`, { body: options.scopes?.length ? { scopes: options.scopes } : {} });
    if (!authorizeUrl) {
      popup?.close();
      return { ok: true, message: 'The connection was reauthorized.', connectionId: connection.id };
    }
    if (!popup) {
      authorizeInThisTab(authorizeUrl, { path: location.pathname, connectionId: connection.id, appId: connection.app, purpose: 'reauthorize', ...(options.moduleIndex === undefined ? {} : { moduleIndex: options.moduleIndex }) });
      return await new Promise<never>(() => {});
    }
    popup.location.href = authorizeUrl;
    return await waitForConsent(popup, connection.id, connection, options.signal ?? new AbortController().signal);
  } catch (error) {
    popup?.close();
    throw error;
  }
}
