import { Button, Text } from '@gravity-ui/uikit';
import { ScrollTable } from '../../components/ScrollTable';
import { CHANGE, count, type DeficitEntry } from './labels';

interface Props {
  caption: string;
  rows: DeficitEntry[];
  districtName(oktmo: string): string;
  selected: string | null;
  onSelect(oktmo: string | null): void;
}

const days = (avg: number | null, max: number | null) => (avg === null ? '—' : `${count(avg)} / ${count(max ?? avg)}`);

/** The districts' demand, supply and deficit for one service and month: the map's text alternative. */
export function DeficitTable({ caption, rows, districtName, selected, onSelect }: Props) {
  const sorted = [...rows].sort((a, b) => b.deficit - a.deficit || districtName(a.district_code).localeCompare(districtName(b.district_code), 'ru'));
  return (
    <section aria-labelledby="deficits-table-title" className="stack">
      <Text as="h2" variant="subheader-3" id="deficits-table-title">
        Таблица по районам
      </Text>
      <Text color="secondary">
        Районы, где есть нуждающиеся или допущенные поставщики этой услуги; в остальных районах дефицита нет. Объёмы — единиц услуги в месяц; срок ожидания —
        дней с выдачи сертификата, средний / наибольший.
      </Text>
      <ScrollTable caption={caption}>
        <thead>
          <tr>
            <th scope="col">Район</th>
            <th scope="col">Дефицит</th>
            <th scope="col">Изменение</th>
            <th scope="col">Признаны нуждающимися, чел.</th>
            <th scope="col">Объём программ</th>
            <th scope="col">Ждут, чел.</th>
            <th scope="col">Ждущий объём</th>
            <th scope="col">Строк без поставщика / без подтверждения записи; объём без сертификата</th>
            <th scope="col">Срок ожидания, дней</th>
            <th scope="col">Поставщиков</th>
            <th scope="col">Мощность / занято / свободно</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr key={row.district_code} data-district={row.district_code} aria-current={row.district_code === selected ? 'true' : undefined}>
              <th scope="row">
                <Button view="outlined" size="s" onClick={() => onSelect(row.district_code === selected ? null : row.district_code)} aria-pressed={row.district_code === selected}>
                  {districtName(row.district_code)}
                </Button>
              </th>
              <td data-column="deficit">{row.deficit > 0 ? <strong>{count(row.deficit)}</strong> : 'нет'}</td>
              <td>
                {CHANGE[row.change]}
                {row.previous_deficit !== null && row.change !== 'none' ? ` (было ${count(row.previous_deficit)})` : ''}
              </td>
              <td>{count(row.recognised_people)}</td>
              <td>{count(row.programme_volume)}</td>
              <td>{count(row.waiting_people)}</td>
              <td>{count(row.waiting_volume)}</td>
              <td>
                {count(row.lines_without_provider)} / {count(row.lines_waiting_booking)}; {count(row.uncertified_volume)}
              </td>
              <td>{days(row.waiting_days_avg, row.waiting_days_max)}</td>
              <td>{count(row.providers)}</td>
              <td>
                {count(row.capacity)} / {count(row.booked)} / {count(row.free)}
              </td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
    </section>
  );
}
