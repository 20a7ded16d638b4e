import { z } from 'zod';
import { KINDS } from '../domain/channels';
import type { NoticeKind } from '../domain/templates';

export const inboxQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  before: z.iso.datetime({ offset: true }).optional(),
});

export const notificationPath = z.object({ id: z.uuid() });

const kind = z.enum(Object.keys(KINDS) as [NoticeKind, ...NoticeKind[]]);

export const settingsBody = z
  .object({
    email: z.email().max(254).nullable().optional(),
    phone: z
      .string()
      .regex(/^\+7\d{10}$/, 'укажите мобильный номер в виде +79991234567')
      .nullable()
      .optional(),
    channels: z
      .array(z.object({ kind, email: z.boolean(), sms: z.boolean() }).strict())
      .max(100)
      .refine((list) => new Set(list.map((c) => c.kind)).size === list.length, 'каждый вид уведомлений — не больше одного раза')
      .optional(),
  })
  .strict()
  .refine((b) => b.email !== undefined || b.phone !== undefined || b.channels !== undefined, 'укажите, что изменить: email, phone или channels');

export const failedQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });
