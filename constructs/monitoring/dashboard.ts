/** One chart of the dashboard; the same filter and aggregation as its alert. */
export interface DashboardChart {
  readonly title: string;
  readonly filter: string;
  /** Makes the chart a ratio filter / denominatorFilter. */
  readonly denominatorFilter?: string;
  readonly aligner: string;
  readonly reducer?: string;
  readonly period: string;
  /** A line drawn at the alert's threshold. */
  readonly threshold?: number;
}

const COLUMNS = 48;
const WIDTH = 24;
const HEIGHT = 16;

/** `dashboard_json` of a Cloud Monitoring dashboard (mosaic layout, two charts per row). */
export function dashboardJson(displayName: string, charts: readonly DashboardChart[]): string {
  const tiles = charts.map((c, i) => {
    const aggregation = {
      alignmentPeriod: c.period,
      perSeriesAligner: c.aligner,
      ...(c.reducer ? { crossSeriesReducer: c.reducer } : {}),
    };
    const query = c.denominatorFilter
      ? {
          timeSeriesFilterRatio: {
            numerator: { filter: c.filter, aggregation },
            denominator: { filter: c.denominatorFilter, aggregation },
          },
        }
      : { timeSeriesFilter: { filter: c.filter, aggregation } };
    return {
      xPos: (i % 2) * WIDTH,
      yPos: Math.floor(i / 2) * HEIGHT,
      width: WIDTH,
      height: HEIGHT,
      widget: {
        title: c.title,
        xyChart: {
          dataSets: [{ timeSeriesQuery: query, plotType: 'LINE' }],
          ...(c.threshold !== undefined ? { thresholds: [{ value: c.threshold }] } : {}),
        },
      },
    };
  });
  return JSON.stringify({ displayName, mosaicLayout: { columns: COLUMNS, tiles } });
}
