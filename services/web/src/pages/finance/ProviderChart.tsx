import { useEffect, useRef } from 'react';
import { Chart, type ChartData, type ChartRef } from '@gravity-ui/charts';
import { formatMoney } from '../../format/money';
import { addMoney } from '../../format/amounts';

/** Whole roubles of a decimal string, for bar lengths only: no figure a person reads comes from here. */
function wholeRoubles(amounts: string[]): number {
  return amounts.reduce((sum, a) => sum + parseInt(a.split('.')[0]!, 10), 0);
}

function sumText(amounts: string[]): string {
  return formatMoney(addMoney(...amounts));
}

/** Horizontal bars of what each provider is owed; the table beside it is its text alternative. */
export function ProviderChart({ providers }: { providers: Array<{ name: string; amount: string[] }> }) {
  const chart = useRef<ChartRef>(null);
  const box = useRef<HTMLDivElement>(null);
  // The chart measures itself once; a narrower window (a phone turned, 320 px) must redraw it.
  useEffect(() => {
    if (!box.current || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => chart.current?.reflow());
    observer.observe(box.current);
    return () => observer.disconnect();
  }, []);
  const data: ChartData = {
    series: {
      data: [
        {
          type: 'bar-y',
          name: 'К компенсации, ₽',
          data: providers.map((p) => ({ y: p.name, x: wholeRoubles(p.amount), label: sumText(p.amount) })),
          dataLabels: { enabled: true },
        },
      ],
    },
    yAxis: [{ type: 'category', categories: providers.map((p) => p.name) }],
    xAxis: { title: { text: 'рублей' } },
    legend: { enabled: false },
  };
  return (
    <div ref={box} className="finance-chart__canvas" aria-hidden="true" style={{ height: Math.max(160, providers.length * 56 + 80) }}>
      <Chart ref={chart} data={data} lang="ru" />
    </div>
  );
}
