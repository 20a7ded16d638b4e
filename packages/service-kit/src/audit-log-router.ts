import { Router } from 'express';
import { stringify } from 'csv-stringify/sync';
import type { MikroORM } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { requireAccess } from './auth';
import { readAuditLog, verifyAuditLog, type AuditRecord } from './audit-log';
import { parseInput } from './problem';
import { sqlOf } from './sql';

const MAX_PAGE = 1000;
const text = z.string().min(1).max(200);
const auditQuery = z.strictObject({
  object_type: text.optional(),
  object_id: text.optional(),
  actor: text.optional(),
  action: text.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  after_seq: z.string().regex(/^\d{1,18}$/, 'номер записи — целое число').optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(100),
  format: z.enum(['json', 'csv']).default('json'),
});

const CSV_COLUMNS: Array<[keyof AuditRecord, string]> = [
  ['seq', 'Номер'],
  ['at', 'Время (UTC)'],
  ['actor', 'Кто'],
  ['actor_name', 'ФИО'],
  ['on_behalf_of', 'От чьего имени'],
  ['action', 'Действие'],
  ['object_type', 'Объект'],
  ['object_id', 'Идентификатор объекта'],
  ['before', 'До'],
  ['after', 'После'],
  ['prev_hash', 'Хеш предыдущей записи'],
  ['hash', 'Хеш записи'],
];

/** Semicolons and a BOM: what Excel in a Russian locale opens as columns. */
function auditCsv(records: AuditRecord[]): string {
  const cell = (value: unknown) => (value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));
  return '\uFEFF' + stringify([CSV_COLUMNS.map(([, title]) => title), ...records.map((r) => CSV_COLUMNS.map(([key]) => cell(r[key])))], { delimiter: ';', record_delimiter: '\r\n' });
}

/**
 * The service's audit log for auditors and admins: `GET /v1/audit-log` (filtered, paged by `after_seq`,
 * JSON or CSV) and `GET /v1/audit-log/verification` (the whole chain recomputed).
 */
export function auditLogRouter(orm: MikroORM, schema: string): Router {
  const router = Router();
  const canRead = requireAccess({ roles: ['auditor', 'admin'] });

  router.get('/v1/audit-log', canRead, async (req, res) => {
    const { format, ...query } = parseInput(auditQuery, req.query);
    const items = await readAuditLog(sqlOf(orm.em.fork()), schema, query);
    if (format === 'csv') {
      res.setHeader('Content-Disposition', `attachment; filename="audit-log-${schema}.csv"`);
      res.type('text/csv; charset=utf-8').send(auditCsv(items));
      return;
    }
    res.json({ items, next_after_seq: items.length === query.limit ? items[items.length - 1]!.seq : null });
  });

  router.get('/v1/audit-log/verification', canRead, async (_req, res) => {
    res.json(await verifyAuditLog(sqlOf(orm.em.fork()), schema));
  });

  return router;
}
