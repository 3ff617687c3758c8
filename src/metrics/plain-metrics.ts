import type { Metric, Registry } from 'prom-client';

/**
 * A counter and a histogram for the metrics counted on every request (HTTP and
 * outbound calls), kept as plain numbers per series and read by prom-client's
 * registry at scrape time like any of its metrics. Why not prom-client's own:
 * they hash and check the label values on every observation, even through a
 * child, which cost a proxied call more than counting it. A series is found by
 * its label values once (`series(...)`), then counted with additions only.
 * The exposition is prom-client's: same names, types, label order and buckets.
 */

interface Exported {
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string>;
  value: number;
  metricName?: string;
}

interface Exposition {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: Exported[];
  aggregator: 'sum';
}

interface Entry<Series> {
  labels: Record<string, string>;
  series: Series;
}

/** One level per label: found by a `Map` lookup per value, without building a key string per observation. */
type Level<Series> = Map<string, Level<Series> | Entry<Series>>;

abstract class PlainMetric<Series> {
  readonly aggregator = 'sum';
  private readonly root: Level<Series> = new Map();
  private readonly all: Array<Entry<Series>> = [];

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
    registry: Registry,
  ) {
    // The registry reads name, help, type, get() and reset(): what this class has.
    registry.registerMetric(this as unknown as Metric);
  }

  /** The series of these label values, in the order of the label names. */
  protected find(values: readonly string[]): Series {
    const last = Math.max(this.labelNames.length, 1) - 1;
    let level = this.root;
    for (let i = 0; i < last; i++) {
      const value = values[i] ?? '';
      let next = level.get(value) as Level<Series> | undefined;
      if (!next) level.set(value, (next = new Map()));
      level = next;
    }
    let found = level.get(values[last] ?? '') as Entry<Series> | undefined;
    if (!found) {
      const labels: Record<string, string> = {};
      this.labelNames.forEach((name, i) => (labels[name] = values[i] ?? ''));
      found = { labels, series: this.fresh() };
      level.set(values[last] ?? '', found);
      this.all.push(found);
    }
    return found.series;
  }

  protected abstract fresh(): Series;
  protected abstract export(labels: Record<string, string>, series: Series): Exported[];

  protected entries(): Array<Entry<Series>> {
    return this.all;
  }

  reset(): void {
    this.root.clear();
    this.all.length = 0;
  }

  /** What the registry writes out: series labels as shared labels, after `le`, as prom-client does. */
  getForPromString(): Promise<Exposition> {
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: this.type,
      values: this.entries().flatMap(({ labels, series }) => this.export(labels, series)),
      aggregator: this.aggregator,
    });
  }

  /** The same values with the labels of each in one object (prom-client's JSON form). */
  async get(): Promise<Exposition> {
    const exposition = await this.getForPromString();
    exposition.values = exposition.values.map(({ labels, sharedLabels, ...rest }) => ({
      ...rest,
      labels: { ...labels, ...sharedLabels },
    }));
    return exposition;
  }

  abstract readonly type: 'counter' | 'histogram';
}

class CounterSeries {
  value = 0;

  inc(by = 1): void {
    this.value += by;
  }
}

export class PlainCounter extends PlainMetric<CounterSeries> {
  readonly type = 'counter';

  /** The series of these label values (in the order of the label names), to `inc()`. */
  series(...values: string[]): CounterSeries {
    return this.find(values);
  }

  protected fresh(): CounterSeries {
    return new CounterSeries();
  }

  protected export(labels: Record<string, string>, series: CounterSeries): Exported[] {
    return [{ labels: {}, sharedLabels: labels, value: series.value }];
  }
}

class HistogramSeries {
  /** Observations per bucket, not cumulative; the last is above every bound. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]!) i++;
    this.counts[i]! += 1;
    this.sum += value;
    this.count += 1;
  }
}

export class PlainHistogram extends PlainMetric<HistogramSeries> {
  readonly type = 'histogram';

  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    super(name, help, labelNames, registry);
  }

  /** The series of these label values (in the order of the label names), to `observe()`. */
  series(...values: string[]): HistogramSeries {
    return this.find(values);
  }

  protected fresh(): HistogramSeries {
    return new HistogramSeries(this.bounds);
  }

  protected export(labels: Record<string, string>, series: HistogramSeries): Exported[] {
    const bucket = `${this.name}_bucket`;
    let cumulative = 0;
    const values: Exported[] = this.bounds.map((bound, i) => {
      cumulative += series.counts[i]!;
      return { labels: { le: bound }, sharedLabels: labels, value: cumulative, metricName: bucket };
    });
    values.push(
      { labels: { le: '+Inf' }, sharedLabels: labels, value: series.count, metricName: bucket },
      { labels: {}, sharedLabels: labels, value: series.sum, metricName: `${this.name}_sum` },
      { labels: {}, sharedLabels: labels, value: series.count, metricName: `${this.name}_count` },
    );
    return values;
  }
}
