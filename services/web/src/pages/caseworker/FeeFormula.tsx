import { Text } from '@gravity-ui/uikit';
import type { CertificatesSchemas } from '../../api/client';
import { Money } from '../../components/Money';
import { ScrollTable } from '../../components/ScrollTable';

type Fee = CertificatesSchemas['FeeCalculation'];

/** An exact decimal as Russians write it («416,665»): trailing zeros after the comma dropped, never through a float. */
export function formatDecimal(value: string): string {
  const [whole = '0', fraction = ''] = value.split('.');
  const digits = whole.replace(/^(-?)(\d+)$/, (_, sign: string, d: string) => sign + d.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0'));
  const trimmed = fraction.replace(/0+$/, '');
  return trimmed ? `${digits},${trimmed}` : digits;
}

const CATEGORY: Record<Fee['months'][number]['category'], string> = { home_and_day_care: 'на дому и полустационарные', residential: 'стационарные' };

/**
 * The 442-FZ fee as a worked formula (arts. 31–32): the per-capita income I, the limit L, the monthly
 * caps, each month's fee as min(cost, cap) split over the month's lines, and the total.
 */
export function FeeFormula({ fee, lineNames }: { fee: Fee; lineNames: string[] }) {
  const income = fee.income;
  const free = fee.rule === 'free';
  return (
    <section aria-labelledby="fee-title" className="stack fee-formula">
      <Text as="h3" variant="subheader-3" id="fee-title">
        Плата получателя по 442-ФЗ (ст. 31–32)
      </Text>
      <ol className="fee-steps">
        <li>
          Среднедушевой доход I = доходы семьи <Money amount={income.total} /> ÷ {income.persons} чел. = {formatDecimal(income.exact)} ₽ ≈ <strong><Money amount={fee.per_capita_income} /></strong>
        </li>
        <li>
          Предельная величина L = {formatDecimal(fee.limit_coefficient)} × прожиточный минимум <Money amount={fee.subsistence_minimum} /> = <strong><Money amount={fee.limit_income} /></strong>
        </li>
        {free ? (
          <li>
            I ≤ L: <strong>услуги предоставляются бесплатно</strong>, плата 0,00 ₽.
          </li>
        ) : (
          <>
            <li>
              I &gt; L. Предел платы в месяц за услуги на дому и полустационарные: 50 % × (I − L) = 50 % × (<Money amount={fee.per_capita_income} /> − <Money amount={fee.limit_income} />) ={' '}
              {formatDecimal(fee.monthly_cap_home_and_day_care.exact)} ₽ ≈ <strong><Money amount={fee.monthly_cap_home_and_day_care.rounded} /></strong>
            </li>
            <li>
              Предел платы в месяц за стационарные услуги: 75 % × I = {formatDecimal(fee.monthly_cap_residential.exact)} ₽ ≈ <strong><Money amount={fee.monthly_cap_residential.rounded} /></strong>
            </li>
            <li>Плата за месяц — меньшее из стоимости услуг этого месяца и предела; она делится между услугами месяца пропорционально их стоимости.</li>
          </>
        )}
      </ol>
      {!free && fee.months.length > 0 ? (
        <ScrollTable caption="Плата по месяцам">
          <thead>
            <tr>
              <th scope="col">Месяц</th>
              <th scope="col">Услуги</th>
              <th scope="col">Стоимость</th>
              <th scope="col">Плата = min(стоимость, предел)</th>
              <th scope="col">По услугам</th>
            </tr>
          </thead>
          <tbody>
            {fee.months.map((m) => (
              <tr key={`${m.month}-${m.category}`}>
                <td>{m.month}</td>
                <td>{CATEGORY[m.category]}</td>
                <td>
                  <Money amount={m.cost} />
                </td>
                <td>
                  <Money amount={m.fee} />
                </td>
                <td>
                  <ul className="plain-list">
                    {m.per_line.map((amount, index) =>
                      amount === '0.00' ? null : (
                        <li key={index}>
                          {lineNames[index] ?? `услуга ${index + 1}`}: <Money amount={amount} />
                        </li>
                      ),
                    )}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      ) : null}
      <Text as="p">
        Плата за весь срок: <strong><Money amount={fee.total_fee} /></strong>
        {fee.line_fees.length > 1 ? (
          <>
            {' '}
            (
            {fee.line_fees.map((amount, index) => (
              <span key={index}>
                {index > 0 ? ' + ' : ''}
                {lineNames[index] ?? `услуга ${index + 1}`} <Money amount={amount} />
              </span>
            ))}
            )
          </>
        ) : null}
        .
      </Text>
    </section>
  );
}
