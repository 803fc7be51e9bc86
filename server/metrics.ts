/**
 * Operations metrics in Prometheus' text format (prom-client), one registry
 * per server: turns by intent and outcome, turn latency, active sessions,
 * queue length, agents online, errors by code, event-loop lag. Gauges that
 * live in the store are read when Prometheus scrapes, never kept in step by hand.
 *
 * Served at GET /metrics on the main port only with `Authorization: Bearer
 * METRICS_TOKEN`, and/or on METRICS_PORT (an internal address).
 */
import { createServer, type Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Router } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { failureObservers } from './core/errors.js';
import type { TurnObserver } from './conversation/ports.js';
import type { ErrorCode } from './protocol.js';

export interface MetricsSources {
  /** Sessions with activity in the last SESSION_TTL. */
  activeSessions(): Promise<number>;
  queueLength(): Promise<number>;
  agentsOnline(): Promise<number>;
}

export class KefuMetrics implements TurnObserver {
  readonly registry = new Registry();
  private readonly turns = new Counter({ name: 'kefu_turns_total', help: 'User messages handled, by intent and outcome', labelNames: ['intent', 'outcome'] as const, registers: [this.registry] });
  private readonly latency = new Histogram({
    name: 'kefu_turn_duration_seconds',
    help: 'Time from a user message to its replies being committed',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly errors = new Counter({ name: 'kefu_errors_total', help: 'Failures sent to clients, by protocol code', labelNames: ['code'] as const, registers: [this.registry] });
  private readonly onFailure = (code: ErrorCode) => this.errors.inc({ code });

  constructor(sources: MetricsSources) {
    const gauge = (name: string, help: string, read: () => Promise<number>) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          this.set(await read());
        },
      });
    gauge('kefu_active_sessions', 'Sessions with activity within SESSION_TTL', () => sources.activeSessions());
    gauge('kefu_queue_length', 'Conversations waiting for an agent', () => sources.queueLength());
    gauge('kefu_agents_online', 'Agents whose desk is online', () => sources.agentsOnline());
    // Includes nodejs_eventloop_lag_seconds (and its percentiles), heap and CPU.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
    failureObservers.add(this.onFailure);
  }

  turn(t: { intent: string | null; outcome: 'understood' | 'not_understood' | 'handover' | 'relayed'; seconds: number }): void {
    this.turns.inc({ intent: t.intent ?? 'none', outcome: t.outcome });
    if (t.outcome !== 'relayed') this.latency.observe(t.seconds);
  }

  stop(): void {
    failureObservers.delete(this.onFailure);
  }
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer (.+)$/.exec(header ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** GET /metrics on the main port: 404 without a token configured, 401 without the right bearer token. */
export function metricsRoute(metrics: KefuMetrics, token: string | undefined): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (!token) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'not found' } });
      return;
    }
    if (!tokenMatches(req.headers.authorization, token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="kefu metrics"');
      res.status(401).json({ error: { code: 'UNAUTHORIZED', message: 'send Authorization: Bearer METRICS_TOKEN' } });
      return;
    }
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(await metrics.registry.metrics());
  });
  return router;
}

/** /metrics alone on its own port (and the token asked there too, when set). */
export async function startMetricsServer(metrics: KefuMetrics, port: number, host: string, token: string | undefined): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    if (token && !tokenMatches(req.headers.authorization, token)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="kefu metrics"' }).end();
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
