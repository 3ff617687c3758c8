import { createHash } from 'node:crypto';
import { randomToken } from '../ids.ts';
import type { OAuthFlowsRepository } from '../store/repositories/oauth-flows.ts';
import type { OAuthFlowRow } from '../store/schema.ts';
import type { Vault } from '../vault/types.ts';
import type { SplitParameters } from '../catalog/parameters.ts';
import type { Consented, FlowSecrets } from './kinds/kind.ts';
import type { LookupChoice } from './post-authorization-lookup.ts';

/** A flow must be completed within this time; the state is refused afterwards. */
export const OAUTH_FLOW_TTL_MS = 10 * 60_000;

export type FlowPurpose = 'create' | 'reauthorize';

/** What the callback needs and nobody else may read: kept encrypted in the flow row. */
export interface FlowPayload {
  /** The kind's own secrets for this flow (its consent step's `start` made them). */
  flowSecrets: FlowSecrets;
  scopes: string[];
  /** Parameters (and secrets, such as a new client secret) that take effect only if this authorization succeeds. */
  pending: SplitParameters;
  allowAccountChange: boolean;
  /**
   * Set on the flow that waits for the person to pick one of several things the service offered
   * (post-authorization-lookup.ts): what the consent gave, tokens included, and the choices.
   */
  choice?: { consented: Consented; options: LookupChoice[] };
}

/**
 * A payload as stored: flows started before kinds had a consent step hold OAuth 2.0's
 * PKCE verifier as `pkceVerifier` (null without PKCE), which is read as its flow secret.
 */
type StoredFlowPayload = Omit<FlowPayload, 'flowSecrets'> & { flowSecrets?: FlowSecrets; pkceVerifier?: string | null };

export interface StartedFlow {
  /** The random `state` sent to the service; only its hash is stored. */
  state: string;
  row: OAuthFlowRow;
}

export function hashState(state: string): string {
  return createHash('sha256').update(state).digest('hex');
}

export function flowContext(stateHash: string) {
  return { table: 'oauth_flows', id: stateHash, field: 'payload' } as const;
}

/**
 * OAuth flows in progress, in the database so that a flow started on one
 * instance completes on another. `state` is random and single-use; its hash is
 * the key, so a leaked database dump cannot complete anyone's flow.
 */
export class OAuthFlows {
  constructor(
    private readonly flows: OAuthFlowsRepository,
    private readonly vault: Vault,
  ) {}

  /** A fresh random `state`, to build the authorize URL before anything is written. */
  newState(): string {
    return randomToken(32);
  }

  async start(input: {
    connectionId: string;
    teamId: string;
    userId: string;
    purpose: FlowPurpose;
    issuer: string | undefined;
    payload: FlowPayload;
    state?: string;
  }): Promise<StartedFlow> {
    const state = input.state ?? randomToken(32);
    const stateHash = hashState(state);
    const now = Date.now();
    const row: OAuthFlowRow = {
      state_hash: stateHash,
      connection_id: input.connectionId,
      team_id: input.teamId,
      user_id: input.userId,
      purpose: input.purpose,
      payload_enc: this.vault.encryptJson(storedPayload(input.payload), flowContext(stateHash)),
      issuer: input.issuer ?? null,
      expires_at: now + OAUTH_FLOW_TTL_MS,
      created_at: now,
    };
    await this.flows.insert(row);
    return { state, row };
  }

  /** Looks without using it up: to check the user before anything is consumed. */
  peek(state: string): Promise<OAuthFlowRow | undefined> {
    return this.flows.peek(hashState(state));
  }

  /** Uses the flow up; exactly one caller gets it. */
  consume(state: string): Promise<OAuthFlowRow | undefined> {
    return this.flows.consume(hashState(state));
  }

  async payload(row: OAuthFlowRow): Promise<FlowPayload> {
    const stored = await this.vault.decryptJson<StoredFlowPayload>(row.payload_enc, flowContext(row.state_hash));
    const { flowSecrets, pkceVerifier, ...rest } = stored;
    return { ...rest, flowSecrets: flowSecrets ?? (pkceVerifier ? { pkceVerifier } : {}) };
  }
}

/**
 * During a rolling deploy an instance of the previous release may receive the callback of a
 * flow this one started; it reads only `pkceVerifier`, so that is written beside `flowSecrets`
 * too. Drop it one release after flowSecrets shipped.
 */
function storedPayload(payload: FlowPayload): StoredFlowPayload {
  return { ...payload, pkceVerifier: payload.flowSecrets.pkceVerifier ?? null };
}
