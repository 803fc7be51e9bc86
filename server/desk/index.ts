/**
 * The human-agent desk, assembled: accounts and logins, the desk service
 * (queue, claims, replies, transfers, closes), presence, business hours,
 * the desk's HTTP routes and page, and its Socket.IO namespace. app.ts
 * registers it beside the widget's channels.
 */
import { fileURLToPath } from 'node:url';
import type { Router } from 'express';
import type { Server } from 'socket.io';
import type { Config } from '../config.js';
import type { Conversations } from '../conversation/index.js';
import type { RateLimiter } from '../conversation/rateLimit.js';
import type { Sweeper } from '../conversation/sweeper.js';
import type { Logger } from '../log.js';
import { Agents } from './agents.js';
import { DeskAuth } from './auth.js';
import { holidayDataCovers } from './businessHours.js';
import { loadDeskContent } from './deskContent.js';
import { attachDeskNamespace } from './deskNamespace.js';
import { deskPage, deskRoutes } from './deskRoutes.js';
import { Desk } from './deskService.js';
import { MemoryPresence, type AgentPresence } from './presence.js';
import { reportNames } from '../reports/names.js';
import type { OutageWatch } from '../reports/outage.js';

/** A desk heartbeat comes every 15 s; three missed and the agent is offline. */
export const PRESENCE_TTL_MS = 45_000;

export const DEFAULT_DESK_DIR = fileURLToPath(new URL('../../client/desk/dist/', import.meta.url));

export interface DeskModule {
  desk: Desk;
  agents: Agents;
  /** Who is at a desk (in Redis when there are several processes). */
  presence: AgentPresence;
  api: Router;
  page: Router;
  attach(io: Server): void;
  /** Adds the desk's chores (agents gone, waits too long, auto-assignment) to the sweeper. */
  schedule(sweeper: Sweeper): void;
}

export function createDeskModule(o: {
  config: Config;
  conversations: Conversations;
  limiter: RateLimiter;
  logger: Logger;
  presence?: AgentPresence;
  dialogsDir?: string;
  deskDir?: string;
  outage?: OutageWatch;
}): DeskModule {
  const { config, conversations, logger } = o;
  const store = conversations.deps.store;
  const presence = o.presence ?? new MemoryPresence(PRESENCE_TTL_MS);
  const agents = new Agents(store, conversations.deps.now);
  const auth = new DeskAuth(store, agents, o.limiter, config.DESK_SESSION_TTL, conversations.deps.now);
  const desk = new Desk({
    conversations,
    content: loadDeskContent(o.dialogsDir),
    presence,
    hours: config.BUSINESS_HOURS,
    logger,
    options: {
      capacity: config.AGENT_CAPACITY,
      autoAssign: config.AUTO_ASSIGN,
      awayRequeueMs: config.AGENT_AWAY_REQUEUE,
      queueTimeoutMs: config.QUEUE_TIMEOUT,
      presenceTtlMs: PRESENCE_TTL_MS,
    },
  });
  // The conversation layer tells the desk what users do, and asks it whether a person can come.
  conversations.deps.desk = {
    userMessage: (sessionId, assignee, text, at) => desk.userMessage(sessionId, assignee, text, at),
    queueChanged: () => {
      void desk
        .broadcast()
        .then(() => desk.autoAssign(conversations.deps.now()))
        .catch((err: unknown) => logger.warn({ err }, 'desk update failed'));
    },
    userTyping: (sessionId, assignee, typing) => desk.userTyping(sessionId, assignee, typing),
  };
  conversations.deps.availability = desk.availability;

  const year = new Date().getFullYear();
  if (config.BUSINESS_HOURS.text !== '24x7' && !holidayDataCovers(year)) {
    logger.warn({ year }, `chinese-days has no holiday schedule for ${year}: business hours treat Monday–Friday as workdays; update the package`);
  }

  return {
    desk,
    agents,
    presence,
    api: deskRoutes({ auth, desk, store, trustProxyHops: config.TRUST_PROXY, deskDir: o.deskDir ?? DEFAULT_DESK_DIR, topicOf: (intent, lang) => conversations.deps.bot.topicOf(intent, lang), names: reportNames(conversations.deps.bot.dialogs?.()), ...(o.outage ? { outage: o.outage } : {}) }),
    page: deskPage(o.deskDir ?? DEFAULT_DESK_DIR),
    attach(io) {
      const outage = o.outage;
      const board = outage ? () => outage.board(conversations.deps.now()) : undefined;
      const channel = attachDeskNamespace(io, { auth, desk, presence, logger, capacity: config.AGENT_CAPACITY, ...(board ? { outage: board } : {}) });
      desk.channel = channel;
      // Every desk, not only the reports page, sees a notice published or an alert raised at once.
      if (outage && board) outage.onChange = () => channel.toAll('outage', board());
    },
    schedule(sweeper) {
      sweeper.add('desk: agents gone', (now) => desk.requeueAbsent(now));
      sweeper.add('desk: waits too long', (now) => desk.expireWaiting(now));
      sweeper.add('desk: auto-assignment', (now) => desk.autoAssign(now));
    },
  };
}
