import nodemailer from 'nodemailer';
import { emailMessage, httpBody } from './formatters.ts';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signBody } from './signature.ts';
import type { ChannelSecrets, ChannelSettings, ChannelType, NotificationPayload } from './types.ts';

// Sends one payload to one channel, once; retries are the dispatcher's. Every attempt is
// bounded by `timeoutMs`, so a receiver that never answers costs a delivery, never a deploy.

export interface SendableChannel {
  type: ChannelType;
  secrets: ChannelSecrets;
  settings: ChannelSettings;
}

export interface NotificationSender {
  send(channel: SendableChannel, payload: NotificationPayload, signal: AbortSignal): Promise<void>;
}

export class DeliveryError extends Error {}

export function createNotificationSender(options: { timeoutMs: number }): NotificationSender {
  return {
    async send(channel, payload, signal) {
      const bounded = AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]);
      if (channel.type === 'email') await sendEmail(channel, payload, options.timeoutMs, bounded);
      else await postJson(channel, channel.type, payload, bounded);
    },
  };
}

async function postJson(channel: SendableChannel, type: Exclude<ChannelType, 'email'>, payload: NotificationPayload, signal: AbortSignal): Promise<void> {
  const body = httpBody(type, payload);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'accelero-notifications' };
  if (type === 'webhook') {
    headers[EVENT_HEADER] = payload.event;
    headers[DELIVERY_HEADER] = payload.id;
    headers[SIGNATURE_HEADER] = signBody(channel.secrets.secret ?? '', body);
  }
  let answer: Response;
  try {
    answer = await fetch(channel.secrets.url!, { method: 'POST', headers, body, signal, redirect: 'manual' });
  } catch (error) {
    throw new DeliveryError(`POST to ${channel.settings.host} failed: ${causeOf(error, signal)}`);
  }
  await answer.body?.cancel().catch(() => undefined);
  if (answer.status < 200 || answer.status > 299) throw new DeliveryError(`${channel.settings.host} answered HTTP ${answer.status}`);
}

async function sendEmail(channel: SendableChannel, payload: NotificationPayload, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const transport = nodemailer.createTransport({
    url: channel.secrets.smtp_url!, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs,
  });
  const { subject, text } = emailMessage(payload);
  try {
    await raceAbort(transport.sendMail({ from: channel.settings.from, to: channel.settings.to, subject, text }), signal);
  } catch (error) {
    throw new DeliveryError(`e-mail through ${channel.settings.host} failed: ${causeOf(error, signal)}`);
  } finally {
    transport.close();
  }
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The reason in a line: fetch's "fetch failed" says nothing without its cause. */
function causeOf(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return signal.reason instanceof Error && signal.reason.name === 'TimeoutError' ? 'no answer in time' : 'stopped';
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time';
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
  const message = error instanceof Error ? error.message : String(error);
  return cause ? `${message} (${cause})` : message;
}
