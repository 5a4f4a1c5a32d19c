import { HANDLES, type InfraHandles } from './global-setup';
import { runLeakScan, saveReport, summaryLine, type LeakScanReport } from './leak-scan-run';
import { dropRunDatabases } from './postgres';

/**
 * Jest globalTeardown: the leak scan (README "Security") over what the run captured and every
 * message on its Kafka broker, then stops what global-setup started. Leaks found fail the run:
 * jest exits non-zero when this throws.
 */
export default async function globalTeardown(): Promise<void> {
  const handles = (globalThis as Record<symbol, InfraHandles | undefined>)[HANDLES];
  if (!handles) return;
  delete (globalThis as Record<symbol, unknown>)[HANDLES];
  const { postgres, kafka, captureDir, topicsBefore } = handles;

  // Before the broker stops: the scan reads its topics.
  let report: LeakScanReport | undefined;
  let scanFailure: unknown;
  if (captureDir) {
    try {
      report = await runLeakScan({
        dir: captureDir,
        brokers: kafka?.brokers,
        // A broker we don't own may hold other runs' and other users' topics: only ours.
        topics: topicsBefore ? (topic) => !topicsBefore.has(topic) : undefined,
      });
    } catch (error) {
      scanFailure = error;
    }
  }

  const tasks: Promise<void>[] = [];
  if (kafka) tasks.push(kafka.stop());
  if (postgres) {
    // A throwaway server vanishes whole; on a server we don't own, drop only this run's databases.
    tasks.push(postgres.kind === 'external' ? dropRunDatabases(postgres.url) : postgres.stop());
  }
  const results = await Promise.allSettled(tasks);
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  for (const failure of failures) console.error('test infra teardown:', failure.reason);

  if (scanFailure) throw scanFailure;
  if (!report) return;
  const file = await saveReport(report);
  console.log(`\n${summaryLine(report, file)}`);
  if (report.leaks > 0) {
    const shown = report.findings.slice(0, 20).map((l) => `  ${l.source} ${l.where}: ${l.kind} ${l.value} in …${l.excerpt}…`);
    throw new Error(`leak scan: ${report.leaks} personal values found in logs, errors or Kafka messages (masked; all in ${file}, capture kept in ${report.captureDir}):\n${shown.join('\n')}`);
  }
}
