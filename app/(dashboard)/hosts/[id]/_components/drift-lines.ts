/**
 * The chart.js plugin that draws configuration changes: a dashed vertical line per marker time,
 * drawn from the chart's own options (so a new marker redraws like any option change), and the
 * plot area handed to the component, which places the HTML marker buttons over it.
 */
import type { ChartType, Plugin } from "chart.js";
import type { Area } from "./chart-series";

declare module "chart.js" {
  interface PluginOptionsByType<TType extends ChartType> {
    /** Where to draw, and who wants the plot area for the marker buttons. */
    driftLines?: { markers: number[]; onArea: (area: Area) => void } & Partial<Record<"__chartType", TType>>;
  }
}

export const driftLines: Plugin<"line"> = {
  id: "driftLines",
  afterDatasetsDraw(chart, _args, opts: { markers?: number[]; onArea?: (a: Area) => void }) {
    const { ctx, chartArea, scales } = chart;
    const x = scales.x;
    if (!x) return;
    ctx.save();
    ctx.strokeStyle = "#d98a00";
    ctx.setLineDash([4, 3]);
    ctx.lineWidth = 1.25;
    for (const ts of opts.markers ?? []) {
      const px = x.getPixelForValue(ts);
      if (px < chartArea.left || px > chartArea.right) continue;
      ctx.beginPath();
      ctx.moveTo(px, chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
      ctx.stroke();
    }
    ctx.restore();
    const area = { left: chartArea.left, right: chartArea.right, top: chartArea.top, bottom: chartArea.bottom };
    // Not during chart.js's draw: React state changes wait for the next microtask.
    queueMicrotask(() => opts.onArea?.(area));
  },
};
