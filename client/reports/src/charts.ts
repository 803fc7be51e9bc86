/**
 * The page's charts, drawn by ECharts on canvas (only the parts used are
 * bundled). Tooltips are drawn on the canvas too (renderMode 'richText'): the
 * HTML tooltip would write inline style attributes, which the CSP refuses,
 * and would parse text as HTML. Each chart's container carries its numbers
 * as an aria-label, for screen readers (and so a test can read them).
 */
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { h } from '../../desk/src/dom.js';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type Option = echarts.ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

const FONT = 'system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
export const COLORS = { brand: '#1565c0', good: '#2e7d32', warn: '#c77700', bad: '#b3261e', grey: '#8a94a3' } as const;

const live = new Set<echarts.ECharts>();
let resizing = false;

/** Disposes every chart drawn so far (before a view is redrawn). */
export function disposeCharts(): void {
  for (const c of live) c.dispose();
  live.clear();
}

function chart(label: string, option: Option, height = 260): HTMLElement {
  const el = h('div', { class: 'chart', role: 'img', 'aria-label': label });
  el.style.height = `${height}px`;
  // Drawn once the element is in the page and has a width.
  requestAnimationFrame(() => {
    if (!el.isConnected) return;
    const c = echarts.init(el, null, { renderer: 'canvas' });
    c.setOption({ animation: false, textStyle: { fontFamily: FONT }, tooltip: { renderMode: 'richText', trigger: 'axis' }, ...option });
    live.add(c);
  });
  if (!resizing) {
    resizing = true;
    window.addEventListener('resize', () => {
      for (const c of live) c.resize();
    });
  }
  return el;
}

export interface Line {
  name: string;
  values: number[];
  color: string;
  kind: 'bar' | 'line';
}

/** A time series: buckets along x, bars and lines over them. */
export function seriesChart(title: string, buckets: string[], lines: Line[]): HTMLElement {
  const label = `${title}: ${lines.map((l) => `${l.name} ${l.values.reduce((a, b) => a + b, 0)}`).join(', ')}`;
  return chart(label, {
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    // 「12-03」 by day; 「14:00」 by hour within a day, 「12-03 14:00」 over several.
    xAxis: { type: 'category', data: buckets.map((b) => (b.length > 10 && buckets[0]?.slice(0, 10) === buckets.at(-1)?.slice(0, 10) ? b.slice(11) : b.slice(5))) },
    yAxis: { type: 'value', minInterval: 1 },
    series: lines.map((l) =>
      l.kind === 'bar'
        ? ({ type: 'bar', name: l.name, data: l.values, itemStyle: { color: l.color }, barMaxWidth: 28 } satisfies BarSeriesOption)
        : ({ type: 'line', name: l.name, data: l.values, itemStyle: { color: l.color }, lineStyle: { color: l.color }, symbolSize: 6 } satisfies LineSeriesOption),
    ),
  });
}

/** Horizontal bars, largest first (intents, a funnel's steps). */
export function barsChart(title: string, rows: { name: string; value: number }[], color: string = COLORS.brand, keepOrder = false): HTMLElement {
  const sorted = keepOrder ? rows : [...rows].sort((a, b) => b.value - a.value);
  const label = `${title}: ${sorted.map((r) => `${r.name} ${r.value}`).join(', ')}`;
  // ECharts draws a category axis bottom-up: reverse so the first row is on top.
  const shown = [...sorted].reverse();
  return chart(
    label,
    {
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: shown.map((r) => r.name) },
      tooltip: { renderMode: 'richText', trigger: 'axis', axisPointer: { type: 'shadow' } },
      series: [{ type: 'bar', data: shown.map((r) => r.value), itemStyle: { color }, barMaxWidth: 18, label: { show: true, position: 'right' } }],
    },
    Math.max(120, 26 * sorted.length + 24),
  );
}

/** Grouped vertical bars over the same categories (CSAT 1–5, bot only and with an agent). */
export function groupedChart(title: string, categories: string[], groups: { name: string; values: number[]; color: string }[]): HTMLElement {
  const label = `${title}: ${groups.map((g) => `${g.name}: ${categories.map((c, i) => `${c} ${g.values[i] ?? 0}`).join(', ')}`).join('; ')}`;
  return chart(label, {
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: categories },
    yAxis: { type: 'value', minInterval: 1 },
    series: groups.map((g) => ({ type: 'bar', name: g.name, data: g.values, itemStyle: { color: g.color }, barMaxWidth: 24 }) satisfies BarSeriesOption),
  });
}
