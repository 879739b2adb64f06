/** How many points to ask the metrics API for: one per horizontal pixel of a chart, no more. */

/** Columns of the chart grid at a viewport width (the media queries in globals.css). */
export const chartColumns = (viewportWidth: number) => (viewportWidth > 1100 ? 3 : viewportWidth > 700 ? 2 : 1);

/** Points for a chart in the grid, in steps of 20 px so resizing does not refetch constantly; 60 to 2000 (the API's bounds). */
export function pointsFor(containerWidth: number, viewportWidth: number): number {
  const n = chartColumns(viewportWidth);
  const column = (containerWidth - 12 * (n - 1)) / n;
  const plot = column - 24 - 48; // panel padding and the y axis
  return Math.min(2000, Math.max(60, Math.round(plot / 20) * 20));
}
