import { z } from 'zod';
import { zx } from '@cg/subgraph';

const instant = z.date({ message: 'must be a date-time' });

export const auditLogFilterSchema = z
  .object({
    customerId: zx.id.nullish(),
    actorId: zx.text(200).nullish(),
    action: z
      .string()
      .trim()
      .regex(/^[a-z][a-z_-]*\.[a-z][a-z_-]*$/, 'must be an action like `customer.update`')
      .nullish(),
    from: instant.nullish(),
    to: instant.nullish(),
  })
  .superRefine((data, ctx) => {
    if (data.from && data.to && data.from >= data.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after `from`' });
    }
  });
