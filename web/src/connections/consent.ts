import { api } from '../api/client.ts';
import type { ConnectionView, OAuthOutcomeMessage } from '../api/types.ts';

/**
 * The service's consent page, in a popup that reports back. Three ways to hear
 * the outcome, because any one can fail: postMessage from the callback page
 * (needs window.opener), the `hitch-oauth` BroadcastChannel (works when the
 * opener was lost), and polling the connection (works when both are missing).
 * When popups are blocked the same tab goes to the service and the callback
 * page brings it back (see takeReturnedOutcome).
 */

const RETURN_KEY = 'hitch-oauth-return';
const OUTCOME_KEY = 'hitch-oauth-outcome';
const POLL_INTERVAL_MS = 1500;

export interface Outcome {
  ok: boolean;
  message: string;
  connectionId: string;
}

/** Where a same-tab authorization comes back to, and what it was for. */
export interface ReturnContext {
  path: string;
  connectionId: string;
  appId: string;
  purpose: 'create' | 'reauthorize';
  /** The scenario module (its id) whose Connection field gets the new connection. */
  moduleId?: number;
}

/** Must run inside the click handler: a popup opened later (after an await) is blocked. */
export function openConsentWindow(): Window | null {
  // A popup gets a copy of this tab's sessionStorage: no stale same-tab marker may travel with it.
  sessionStorage.removeItem(RETURN_KEY);
  const popup = window.open('about:blank', 'hitch-oauth', 'popup,width=620,height=760');
  if (popup) {
    try {
      popup.document.title = 'Connecting…';
      popup.document.body.textContent = 'Opening the service’s sign-in page…';
    } catch {
      // Not ours to write to (an older window of that name at another site): it is navigated anyway.
    }
  }
  return popup;
}

/** Popups blocked: this tab goes to the service; the callback page returns to `context.path`. */
export function authorizeInThisTab(authorizeUrl: string, context: ReturnContext): void {
  sessionStorage.setItem(RETURN_KEY, JSON.stringify(context));
  location.assign(authorizeUrl);
}

/** After a same-tab authorization: what happened and where it was started, once. */
export function takeReturnedOutcome(): { context: ReturnContext; outcome: Outcome } | null {
  const rawContext = sessionStorage.getItem(RETURN_KEY);
  const rawOutcome = sessionStorage.getItem(OUTCOME_KEY);
  if (!rawContext || !rawOutcome) return null;
  sessionStorage.removeItem(RETURN_KEY);
  sessionStorage.removeItem(OUTCOME_KEY);
  try {
    const context = JSON.parse(rawContext) as ReturnContext;
    // Written by the callback page, but read back from storage: nothing about its shape is certain.
    const message = JSON.parse(rawOutcome) as { [K in keyof OAuthOutcomeMessage]?: unknown };
    const connectionId = typeof message.connectionId === 'string' ? message.connectionId : context.connectionId;
    return {
      context,
      outcome: {
        ok: message.ok === true,
        message: typeof message.message === 'string' ? message.message : '',
        connectionId,
      },
    };
  } catch {
    return null;
  }
}

function isOutcome(data: unknown): data is OAuthOutcomeMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'hitch:oauth';
}

/**
 * Waits for the person to finish at the service. `before` is the connection as
 * it was before the flow (for reauthorization: an update after it means done).
 */
export function waitForConsent(
  popup: Window,
  connectionId: string,
  before: ConnectionView | null,
  signal: AbortSignal,
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const channel = 'BroadcastChannel' in window ? new BroadcastChannel('hitch-oauth') : null;
    const finish = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      removeEventListener('message', onMessage);
      channel?.close();
      resolve(outcome);
    };
    const hear = (data: unknown) => {
      if (!isOutcome(data)) return;
      // An outcome without an id (a state that expired) can only be ours: one flow at a time.
      if (data.connectionId && data.connectionId !== connectionId) return;
      finish({ ok: data.ok, message: data.message, connectionId });
    };
    const onMessage = (event: MessageEvent) => {
      if (event.origin === location.origin) hear(event.data);
    };
    addEventListener('message', onMessage);
    if (channel) channel.onmessage = (event) => hear(event.data);

    let polls = 0;
    const poll = async (closed: boolean) => {
      try {
        const now = await api('GET /connections/:id', { params: { id: connectionId } });
        const changed =
          before === null ? now.status === 'active' : now.updatedAt !== before.updatedAt && now.status === 'active';
        if (changed) {
          finish({
            ok: true,
            message: before ? 'The connection was reauthorized.' : 'The connection is established.',
            connectionId,
          });
          return;
        }
      } catch {
        // A failed poll is retried; the other two channels may still answer.
      }
      if (closed)
        finish({
          ok: false,
          message: 'The authorization window was closed before it finished: try again.',
          connectionId,
        });
    };
    const timer = setInterval(() => {
      polls += 1;
      let closed: boolean;
      try {
        closed = popup.closed;
      } catch {
        closed = false;
      }
      // Closed: give the message a moment to arrive before deciding it never will.
      if (closed) setTimeout(() => void poll(true), 300);
      else if (polls % 2 === 0) void poll(false);
    }, POLL_INTERVAL_MS / 2);
    signal.addEventListener('abort', () => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      removeEventListener('message', onMessage);
      channel?.close();
      reject(new DOMException('cancelled', 'AbortError'));
    });
  });
}
