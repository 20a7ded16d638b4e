import type { z } from 'zod';
import { validationFailed, zodFieldProblems } from '@esc/service-kit';

/** Path parameters and body validated together, so one 400 lists every offending field. */
export function parseParamsAndBody<P extends z.ZodType, B extends z.ZodType>(
  paramsSchema: P,
  params: unknown,
  bodySchema: B,
  body: unknown,
): [z.infer<P>, z.infer<B>] {
  const p = paramsSchema.safeParse(params);
  const b = bodySchema.safeParse(body);
  const problems = [...(p.success ? [] : zodFieldProblems(p.error)), ...(b.success ? [] : zodFieldProblems(b.error))];
  if (problems.length || !p.success || !b.success) throw validationFailed(problems);
  return [p.data, b.data];
}
