import type { Migration } from 'kysely';
import * as initial from './0001-initial.ts';
import * as scenarios from './0002-scenarios.ts';
import * as noticesWebhooks from './0003-notices-webhooks.ts';
import * as keyOrigins from './0004-key-origins.ts';
import * as tokenRestrictions from './0005-token-restrictions.ts';
import * as agentApprovals from './0006-agent-approvals.ts';
import * as connectionRenewedAt from './0007-connection-renewed-at.ts';

/** Every migration in order. Names sort; never rename or edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-scenarios': scenarios,
  '0003-notices-webhooks': noticesWebhooks,
  '0004-key-origins': keyOrigins,
  '0005-token-restrictions': tokenRestrictions,
  '0006-agent-approvals': agentApprovals,
  '0007-connection-renewed-at': connectionRenewedAt,
};
