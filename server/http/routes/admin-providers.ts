/**
 * GET /admin/providers: the providers this gateway speaks, from their descriptors — what the dashboard's Add model
 * form offers and asks for. No secrets (variable names, not values). Registered inside the admin scope, which
 * checks the master key; this file holds no auth of its own.
 */
import type { FastifyInstance } from 'fastify';
import type { ProvidersAnswer } from '../../core/provider-info.ts';
import { providerInfo } from '../../providers/provider-info.ts';
import { PROVIDERS } from '../../providers/registry.ts';
import type { Runtime } from '../runtime.ts';

/** The descriptors never change while the gateway runs: one answer, built once. */
const answer: ProvidersAnswer = { data: PROVIDERS.map(providerInfo) };

export async function providerRoutes(scope: FastifyInstance, _runtime: Runtime): Promise<void> {
  scope.get('/admin/providers', async (): Promise<ProvidersAnswer> => answer);
}
