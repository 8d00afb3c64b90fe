import { useComputedColorScheme } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatValue, type AlignedData, type ChartUnit } from './chart-data.js';

/** The theme's colours: canvas cannot read CSS variables, so they are looked up when a chart is made. */
function themeColors() {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    fg: read('--muted', '#5b636e'),
    grid: read('--line', '#d4d9df'),
    series: [1, 2, 3, 4, 5, 6].map((i) => read(`--chart-${i}`, '#0b57d0')),
  };
}

/** Whether this browser draws on a 2D canvas (a locked-down one may refuse; uPlot would fail later, inside a frame). */
let canvasWorks: boolean | undefined;
const canDraw = () => (canvasWorks ??= document.createElement('canvas').getContext('2d') !== null);

const HEIGHT = 180;
/** What a chart is drawn at before its box has a width (not laid out yet). */
const FALLBACK_WIDTH = 320;

export interface TimeSeriesChartProps {
  title: string;
  unit: ChartUnit;
  /** Legend label of each y series, in the order of `data`. */
  labels: string[];
  data: AlignedData;
  /** Fixed y range for percentages. */
  yRange?: [number, number];
  /** The range asked for, in seconds: the axis spans it even where the history starts later. */
  xRange?: [number, number];
}

function options(props: TimeSeriesChartProps, width: number, onDrawn: () => void): uPlot.Options {
  const colors = themeColors();
  const axis = { stroke: colors.fg, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, width: 1 } };
  return {
    width,
    height: HEIGHT,
    // Legend values follow the cursor; times in the browser's zone.
    cursor: { drag: { x: true, y: false } },
    scales: { x: props.xRange ? { time: true, range: props.xRange } : { time: true }, y: props.yRange ? { range: props.yRange } : { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.05 : 1] } },
    axes: [
      axis,
      { ...axis, size: 64, values: (_u, splits) => splits.map((v) => formatValue(v, props.unit)) },
    ],
    series: [
      {},
      ...props.labels.map((label, i) => ({
        label,
        stroke: colors.series[i % colors.series.length],
        width: 1.5,
        points: { show: false },
        value: (_u: uPlot, v: number | null) => formatValue(v, props.unit),
      })),
    ],
    hooks: { draw: [onDrawn] },
  };
}

/**
 * A small uPlot time-series chart: as wide as its box (redrawn at the new width when the box
 * resizes, so it fits a phone), in the theme's colours. Each first draw is recorded as a User Timing
 * measure `overmind:chart` (the graph benchmark reads it; DevTools shows it).
 */
export function TimeSeriesChart(props: TimeSeriesChartProps) {
  const box = useRef<HTMLDivElement>(null);
  // The console's scheme (the system's or the person's pick): charts are redrawn in its colours when it flips.
  const scheme = useComputedColorScheme('light');
  const [failure, setFailure] = useState<string | null>(null);
  const { data, labels, unit, yRange, xRange, title } = props;
  useEffect(() => {
    const el = box.current!;
    const start = performance.now();
    let drawn = false;
    const onDrawn = () => {
      if (drawn) return;
      drawn = true;
      performance.measure('overmind:chart', { start, detail: { title, points: data[0].length } });
      el.dataset.drawnPoints = String(data[0].length);
    };
    let plot: uPlot;
    try {
      if (!canDraw()) throw new Error('no 2D canvas');
      plot = new uPlot(options({ title, unit, labels, data, yRange, xRange }, el.clientWidth || FALLBACK_WIDTH, onDrawn), data as uPlot.AlignedData, el);
    } catch (err) {
      // A browser without a 2D canvas (locked down, or not a real one) gets the text instead.
      setFailure(err instanceof Error ? err.message : String(err));
      return;
    }
    setFailure(null);
    const resized = new ResizeObserver(() => {
      if (el.clientWidth > 0 && el.clientWidth !== plot.width) plot.setSize({ width: el.clientWidth, height: HEIGHT });
    });
    resized.observe(el);
    return () => {
      resized.disconnect();
      plot.destroy();
      delete el.dataset.drawnPoints;
    };
  }, [data, labels, unit, yRange, xRange, title, scheme]);
  const points = data[0].length;
  const latest = labels.map((label, i) => {
    const ys = data[i + 1]!;
    for (let j = ys.length - 1; j >= 0; j--) if (ys[j] !== null) return `${label} ${formatValue(ys[j], unit)}`;
    return `${label} —`;
  });
  return (
    <figure className="chart" data-chart={title}>
      <figcaption>{title}</figcaption>
      <div ref={box} className="chart-canvas" role="img" aria-label={`${title}: ${points} points; latest ${latest.join(', ')}`} />
      {failure && <p className="muted">Cannot draw the graph here ({failure}). Latest: {latest.join(', ')}.</p>}
    </figure>
  );
}
