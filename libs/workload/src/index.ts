export { activityDays, generateActivity, generateEventTexts } from './generate-activity';
export type { Activity, ActivityOptions, TimedRecord } from './generate-activity';
export { measure, median, medianTiming, printBenchmark, timed } from './benchmark';
export type { BenchmarkLine, BenchmarkReport, Timing } from './benchmark';
export { SeededRandom } from './internal/seeded-random';
