import { api } from '../api/client.ts';
import type { ConnectionView, ReauthorizeRequest } from '../api/types.ts';
import { authorizeInThisTab, openConsentWindow, waitForConsent, type Outcome } from './consent.ts';

/** Enough of a connection to reauthorize it; `auth` unknown (a notification) means "maybe OAuth". */
export interface ReauthorizeTarget {
  id: string;
  app: string;
  auth?: string;
}

export interface ReauthorizeOptions {
  /** Extend permissions: the server adds what this scenario's modules need to what the connection has. */
  scenarioId?: string;
  scopes?: string[];
  /** New values (a replaced secret, a new address with its secrets): they take effect only if the service accepts them. */
  parameters?: Record<string, unknown>;
  /** The scenario module to come back to after a same-tab authorization. */
  moduleId?: number;
  /** Work that must happen first (saving the scenario); runs after the popup is open, so it is not blocked. */
  prepare?: () => Promise<void>;
  signal?: AbortSignal;
}

/**
 * Reauthorizes the same connection (with more scopes, for Extend permissions).
 * Call it from the click handler itself, so the popup is allowed. Resolves
 * with the outcome, or never when the tab goes to the service (popups blocked).
 */
export async function reauthorizeConnection(
  target: ReauthorizeTarget | ConnectionView,
  options: ReauthorizeOptions = {},
): Promise<Outcome> {
  const browser = target.auth === undefined || target.auth === 'oauth2' || target.auth === 'oauth1';
  const popup = browser ? openConsentWindow() : null;
  try {
    await options.prepare?.();
    // What it looked like before, so polling can tell when the new grant has landed.
    const before = 'updatedAt' in target ? target : await api('GET /connections/:id', { params: { id: target.id } });
    const body: ReauthorizeRequest = {
      ...(options.scopes?.length ? { scopes: options.scopes } : {}),
      ...(options.scenarioId ? { scenarioId: options.scenarioId } : {}),
      ...(options.parameters ? { parameters: options.parameters } : {}),
    };
    const { authorizeUrl } = await api('POST /connections/:id/reauthorize', { params: { id: target.id }, body });
    if (!authorizeUrl) {
      popup?.close();
      return { ok: true, message: 'The connection was reauthorized.', connectionId: target.id };
    }
    if (!popup) {
      authorizeInThisTab(authorizeUrl, {
        path: location.pathname,
        connectionId: target.id,
        appId: target.app,
        purpose: 'reauthorize',
        ...(options.moduleId === undefined ? {} : { moduleId: options.moduleId }),
      });
      return await new Promise<never>(() => {});
    }
    popup.location.href = authorizeUrl;
    return await waitForConsent(popup, target.id, before, options.signal ?? new AbortController().signal);
  } catch (error) {
    popup?.close();
    throw error;
  }
}
