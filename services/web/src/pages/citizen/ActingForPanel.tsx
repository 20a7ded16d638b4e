import { useEffect, useId } from 'react';
import { standardSchemaResolver } from '@hookform/resolvers/standard-schema';
import { Button, Card, Text } from '@gravity-ui/uikit';
import { useForm } from 'react-hook-form';
import { z } from 'zod/mini';
import { FormTextField } from '../../components/FormTextField';
import { RouterLink } from '../../components/RouterLink';
import { isUuid, useActingFor } from './useActingFor';

const schema = z.object({
  recipient: z.string().check(
    z.trim(),
    z.minLength(1, 'Введите идентификатор получателя'),
    z.refine(isUuid, 'Проверьте идентификатор: он выглядит так — 3f2b8c1e-5d4a-4b6f-9a7e-1c2d3e4f5a6b (цифры и латинские буквы a–f, разделённые дефисами)'),
  ),
});
type Values = z.infer<typeof schema>;

export const CABINET_SECTIONS = [
  { to: '/cabinet/certificates', label: 'Сертификаты' },
  { to: '/cabinet/bookings', label: 'Записи' },
  { to: '/cabinet/acts', label: 'Акты' },
  { to: '/cabinet/requests', label: 'Обращения' },
];

/** «Действовать от имени получателя»: shown to case workers and admins on every cabinet page. */
export function ActingForPanel() {
  const acting = useActingFor();
  const headingId = useId();
  const fieldId = `${headingId}-recipient`.replace(/:/g, '');
  const form = useForm<Values>({ resolver: standardSchemaResolver(schema), defaultValues: { recipient: acting.recipientId ?? '' } });
  const { reset } = form;
  useEffect(() => reset({ recipient: acting.recipientId ?? '' }), [acting.recipientId, reset]);

  if (!acting.canActFor) return null;
  const submit = form.handleSubmit(
    (values) => acting.setRecipient(values.recipient.trim()),
    () => document.getElementById(fieldId)?.focus(),
  );

  return (
    <Card className="card-pad stack acting-for" view="outlined">
      <section aria-labelledby={headingId} className="stack">
        <Text as="h2" variant="subheader-2" id={headingId}>
          Действовать от имени получателя
        </Text>
        {acting.recipientId ? (
          <Text>
            Вы действуете от имени получателя с идентификатором <span className="break-all">{acting.recipientId}</span>. Все действия на этих страницах
            записываются от вашего имени.
          </Text>
        ) : (
          <Text>Введите идентификатор получателя из реестра получателей социальных услуг, чтобы увидеть его сертификаты, записи, акты и обращения.</Text>
        )}
        <form onSubmit={submit} noValidate className="acting-for__form">
          <FormTextField control={form.control} name="recipient" id={fieldId} label="Идентификатор получателя (UUID)" autoComplete="off" />
          <div className="row">
            <Button type="submit" view="action" size="l">
              Открыть кабинет получателя
            </Button>
            {acting.recipientId ? (
              <Button view="outlined" size="l" onClick={() => acting.setRecipient(undefined)}>
                Перестать действовать от имени получателя
              </Button>
            ) : null}
          </div>
        </form>
        {acting.recipientId ? (
          <nav aria-label="Разделы кабинета получателя" className="row">
            {CABINET_SECTIONS.map((section) => (
              <RouterLink key={section.to} to={acting.link(section.to)}>
                {section.label}
              </RouterLink>
            ))}
          </nav>
        ) : null}
      </section>
    </Card>
  );
}
