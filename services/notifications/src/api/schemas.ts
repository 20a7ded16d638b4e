import { z } from 'zod';

export const inboxQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  before: z.iso.datetime({ offset: true }).optional(),
});

export const notificationPath = z.object({ id: z.uuid() });

export const emailSettingBody = z.object({ email: z.email().max(254).nullable() }).strict();

export const failedQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });
