import type { MikroORM } from '@mikro-orm/postgresql';
import { recordDevSms } from '../data-access/delivery-store';
import type { SmsSender } from '../domain/context';

/**
 * The development SMS adapter: it sends nothing and records each message in notifications.dev_sms,
 * where tests and a person running the stand read them. A number in the reserved +7 000 range is
 * refused for good, as an operator refuses a number that does not exist.
 */
export function devSmsSender(orm: MikroORM): SmsSender {
  return {
    async send(message) {
      if (message.to.startsWith('+7000')) throw Object.assign(new Error(`номер ${message.to} не обслуживается`), { permanent: true });
      await recordDevSms(orm.em.fork(), message.to, message.text);
    },
  };
}
