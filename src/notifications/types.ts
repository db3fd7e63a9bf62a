// What a notification is about, and the channel kinds that carry it. Plain data: the payload
// is stored with its delivery row, so a retry after a restart sends the same bytes.

export const NOTIFICATION_EVENTS = ['deployment_succeeded', 'deployment_failed', 'deployment_rolled_back', 'drift_detected', 'stack_failed'] as const;
export type NotificationEventName = (typeof NOTIFICATION_EVENTS)[number];

export const CHANNEL_TYPES = ['webhook', 'slack', 'discord', 'teams', 'email'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** The JSON a generic webhook receives (and what the other formats are written from). */
export interface NotificationPayload {
  /** The delivery id (also in X-Accelero-Delivery): one per channel and event. */
  id: string;
  /** `test` for POST /api/v1/notifications/{id}/test. */
  event: NotificationEventName | 'test';
  stack: { id: string; name: string } | null;
  deployment_id: string | null;
  status: string | null;
  message: string;
  git_commit: string | null;
  at: string;
}

/** The credentials of a channel, sealed together in one column and never answered. */
export interface ChannelSecrets {
  url?: string;
  secret?: string;
  smtp_url?: string;
}

/** What a channel says about itself in answers and what the sender needs besides secrets. */
export interface ChannelSettings {
  /** The host of the URL (HTTP kinds) or of the SMTP server, never its path or credentials. */
  host: string;
  from?: string;
  to?: string[];
}
