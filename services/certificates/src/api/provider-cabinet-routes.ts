import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '@esc/service-kit';
import type { certificates } from '@esc/api-types';
import type { Deps } from '../domain/context';
import { importActs, type ActImportRow } from '../domain/act-import';
import * as providerCabinet from '../domain/provider-cabinet';
import { deliveryView } from './presenters';
import * as schemas from './schemas';

type Schemas = certificates.components['schemas'];

/** «Иванова М. П.»: the provider sees whom it serves, not more of the person than that. */
export function shortName(last: string, first: string, middle: string | null): string {
  return [last, `${first.slice(0, 1)}.`, middle ? `${middle.slice(0, 1)}.` : null].filter(Boolean).join(' ');
}

export function inboxBookingView({ booking: b, respondBy, overdue, available, admission }: providerCabinet.InboxBooking): Schemas['InboxBooking'] {
  return {
    id: b.id,
    certificate_id: b.certificate_id,
    certificate_number: b.certificate_number,
    certificate_valid_to: b.certificate_valid_to,
    line_id: b.line_id,
    line_no: b.line_no,
    service_code: b.service_code,
    service_name: b.service_name,
    unit: b.unit,
    recipient_name: shortName(b.recipient_last_name, b.recipient_first_name, b.recipient_middle_name),
    district_code: b.district_code,
    units: b.units,
    units_per_month: b.units_per_month,
    units_in_use: b.units_consumed,
    units_confirmed: b.units_confirmed,
    status: b.status,
    requested_at: b.requested_at,
    respond_by: respondBy,
    overdue,
    decided_at: b.decided_at,
    decline: b.decline_code ? { code: b.decline_code, reason: b.decline_reason } : null,
    line: {
      volume: b.line_volume,
      units_left: Math.max(0, b.line_volume - b.line_units_consumed),
      value: b.line_net_amount,
      available,
      unit_cost: b.line_unit_cost,
    },
    admission: admission ? { territory: admission.territory, in_scope: admission.inScope } : null,
  };
}

const actsQuery = z.strictObject({ status: z.enum(['authorising', 'held', 'posted', 'voided', 'refused']).optional() });
const actImportBody = z.strictObject({ id: z.uuid(), csv: z.string().min(1).max(1_000_000) });

export function providerActView(a: providerCabinet.ProviderActRow): Schemas['ProviderAct'] {
  return {
    ...deliveryView(a),
    certificate_number: a.certificate_number,
    service_code: a.service_code,
    service_name: a.service_name,
    unit: a.unit,
    recipient_name: shortName(a.recipient_last_name, a.recipient_first_name, a.recipient_middle_name),
  };
}

export function actImportView(id: string, rows: ActImportRow[]): Schemas['ActImport'] {
  const recorded = rows.filter((r) => r.outcome === 'recorded').length;
  return {
    id,
    rows_total: rows.length,
    recorded,
    failed: rows.length - recorded,
    rows: rows.map((r) => ({ row: r.row, outcome: r.outcome, booking_id: r.bookingId, delivery_id: r.deliveryId, code: r.code, message: r.message })),
  };
}

/** The provider's cabinet: its inbox of bookings, its acts and their files. */
export function providerCabinetRouter(deps: Deps): Router {
  const router = Router();
  router.get('/v1/providers/:id/inbox', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const { status } = parseInput(schemas.providerBookingsQuery, req.query);
    res.json({ items: (await providerCabinet.providerInbox(deps, req.principal!, { id, status })).map(inboxBookingView) });
  });
  router.get('/v1/providers/:id/acts', async (req, res) => {
    const { id } = parseInput(schemas.idParam, req.params);
    const { status } = parseInput(actsQuery, req.query);
    res.json({ items: (await providerCabinet.providerActs(deps, req.principal!, { id, status })).map(providerActView) });
  });
  router.post('/v1/providers/:id/act-imports', async (req, res) => {
    const { id: providerId } = parseInput(schemas.idParam, req.params);
    const body = parseInput(actImportBody, req.body);
    res.json(actImportView(body.id, await importActs(deps, req.principal!, { providerId, id: body.id, csv: body.csv })));
  });
  return router;
}
