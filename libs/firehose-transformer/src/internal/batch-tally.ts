import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { TransformerMetric, TransformerMetricDimension } from '../transformer-metric';
import type { RecordOutcome } from './record-outcome';

interface Counts {
  in: number;
  ok: number;
  dropped: number;
  failed: number;
}

const unknownChannel = 'unknown';

/** Counts the outcomes of one batch, in total, per channel and per error kind. */
export class BatchTally {
  readonly total: Counts = newCounts();
  rows = 0;
  private readonly byChannel = new Map<string, Counts>();
  private readonly failedByKind = new Map<string, number>();

  add(outcome: RecordOutcome): void {
    const channel = outcome.result === 'Ok' ? outcome.channel : unknownChannel;
    let counts = this.byChannel.get(channel);
    if (!counts) this.byChannel.set(channel, (counts = newCounts()));
    count(this.total, outcome);
    count(counts, outcome);
    if (outcome.result === 'Ok') this.rows += outcome.rows;
    if (outcome.result === 'ProcessingFailed') {
      const { kind } = outcome.error;
      this.failedByKind.set(kind, (this.failedByKind.get(kind) ?? 0) + 1);
    }
  }

  /**
   * Writes the counts as Embedded Metric Format documents to stdout, where Lambda sends them to
   * CloudWatch: no PutMetricData call. One document per dimension set, because a document's metric
   * values are shared by all of its dimension sets.
   */
  publish(metrics: Metrics): void {
    addCounts(metrics, this.total);
    metrics.publishStoredMetrics();
    for (const [channel, counts] of this.byChannel) {
      metrics.addDimension(TransformerMetricDimension.channel, channel);
      addCounts(metrics, counts);
      metrics.publishStoredMetrics();
    }
    for (const [errorKind, failed] of this.failedByKind) {
      metrics.addDimension(TransformerMetricDimension.errorKind, errorKind);
      metrics.addMetric(TransformerMetric.recordsFailed, MetricUnit.Count, failed);
      metrics.publishStoredMetrics();
    }
  }
}

function count(counts: Counts, outcome: RecordOutcome): void {
  counts.in += 1;
  if (outcome.result === 'Ok') counts.ok += 1;
  else if (outcome.result === 'Dropped') counts.dropped += 1;
  else counts.failed += 1;
}

function newCounts(): Counts {
  return { in: 0, ok: 0, dropped: 0, failed: 0 };
}

function addCounts(metrics: Metrics, counts: Counts): void {
  metrics.addMetric(TransformerMetric.recordsIn, MetricUnit.Count, counts.in);
  metrics.addMetric(TransformerMetric.recordsOk, MetricUnit.Count, counts.ok);
  metrics.addMetric(TransformerMetric.recordsDropped, MetricUnit.Count, counts.dropped);
  metrics.addMetric(TransformerMetric.recordsFailed, MetricUnit.Count, counts.failed);
}
