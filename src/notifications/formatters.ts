import type { ChannelType, NotificationPayload } from './types.ts';

// One message per channel kind, written from the payload: the generic webhook gets the payload
// itself; Slack, Discord and Teams get their incoming-webhook JSON; e-mail a subject and text.

const TITLES: Record<NotificationPayload['event'], string> = {
  deployment_succeeded: 'deployment succeeded',
  deployment_failed: 'deployment failed',
  deployment_rolled_back: 'deployment rolled back',
  drift_detected: 'drift detected',
  stack_failed: 'stack failed',
  test: 'test notification',
};

const TEAMS_COLOURS: Partial<Record<NotificationPayload['event'], string>> = {
  deployment_succeeded: '2EB886', deployment_failed: 'D50200', deployment_rolled_back: 'E8A317', stack_failed: 'D50200', drift_detected: 'E8A317',
};

/** `shop: deployment rolled back`, the line every format starts with. */
export function headline(payload: NotificationPayload): string {
  return `${payload.stack?.name ?? 'accelero'}: ${TITLES[payload.event]}`;
}

/** The details below the headline, one per line, without empty ones. */
export function detailLines(payload: NotificationPayload): string[] {
  return [
    payload.message,
    payload.git_commit ? `commit ${payload.git_commit.slice(0, 12)}` : '',
    payload.deployment_id ? `deployment ${payload.deployment_id}` : '',
    `at ${payload.at}`,
  ].filter(Boolean);
}

export function plainText(payload: NotificationPayload): string {
  return [headline(payload), ...detailLines(payload)].join('\n');
}

/** The JSON body an HTTP channel posts. */
export function httpBody(type: Exclude<ChannelType, 'email'>, payload: NotificationPayload): string {
  switch (type) {
    case 'webhook': return JSON.stringify(payload);
    case 'slack': return JSON.stringify({ text: `*${headline(payload)}*\n${detailLines(payload).join('\n')}` });
    case 'discord': return JSON.stringify({ content: `**${headline(payload)}**\n${detailLines(payload).join('\n')}`.slice(0, 2000) });
    case 'teams': return JSON.stringify({
      '@type': 'MessageCard', '@context': 'https://schema.org/extensions', summary: headline(payload),
      themeColor: TEAMS_COLOURS[payload.event] ?? '0076D7', title: headline(payload), text: detailLines(payload).join('\n\n'),
    });
  }
}

export function emailMessage(payload: NotificationPayload): { subject: string; text: string } {
  return { subject: `[accelero] ${headline(payload)}`, text: `${plainText(payload)}\n` };
}
