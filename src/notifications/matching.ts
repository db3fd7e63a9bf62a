import type { NotificationEventName } from './types.ts';

// Which channels an event goes to: the channel's events, and its stacks filter (ids or names)
// when it has one. Events about no stack pass any filter (there is none yet besides `test`).

export interface ChannelFilter {
  events: NotificationEventName[];
  stacks: string[] | null;
}

export function channelWants(channel: ChannelFilter, event: NotificationEventName, stack: { id: string; name: string } | null): boolean {
  if (!channel.events.includes(event)) return false;
  if (!channel.stacks || !stack) return true;
  return channel.stacks.includes(stack.id) || channel.stacks.includes(stack.name);
}
