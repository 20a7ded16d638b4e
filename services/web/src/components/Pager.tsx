import { Button, Text } from '@gravity-ui/uikit';

interface Props {
  page: number;
  hasNext: boolean;
  onChange(page: number): void;
  label?: string;
}

/**
 * «Предыдущая · Страница N · Следующая» for lists whose API answers `next_page` without a total: no
 * page numbers it cannot know, and a fraction of the weight of Gravity's Pagination (which brings Select).
 */
export function Pager({ page, hasNext, onChange, label = 'Страницы' }: Props) {
  if (page <= 1 && !hasNext) return null;
  return (
    <nav aria-label={label} className="row pager">
      <Button view="outlined" size="l" disabled={page <= 1} onClick={() => onChange(page - 1)}>
        ← Предыдущая
      </Button>
      <Text aria-current="page">Страница {page}</Text>
      <Button view="outlined" size="l" disabled={!hasNext} onClick={() => onChange(page + 1)}>
        Следующая →
      </Button>
    </nav>
  );
}
