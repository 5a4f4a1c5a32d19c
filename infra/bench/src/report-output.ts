import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadFigures, SuiteReport } from './report-figures';

/**
 * The report suite's output: a Markdown table (what README "Performance" quotes), an SVG bar chart
 * of throughput and p99 per operation for both gateways, and the JSON with every figure, written as
 * bench/results/<date>-<machine label>-report.{md,svg,json} and copied to latest.{md,svg,json}.
 */

const fmt = (n: number | undefined, d = 0) =>
  n === undefined || !Number.isFinite(n) ? '–' : n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const ms = (n: number) => (n >= 100 ? fmt(n) : n >= 10 ? fmt(n, 1) : fmt(n, 2));
const lat = (f: LoadFigures) => `${ms(f.p50)} / ${ms(f.p95)} / ${ms(f.p99)}`;
const ratio = (n: number) => `${fmt(n, 2)}×`;

export function markdown(r: SuiteReport, chartFile?: string): string {
  const m = r.machine;
  const c = r.dataset.counts as Record<string, number>;
  const lines: string[] = [];
  const date = r.startedAt.slice(0, 10);
  lines.push(`# \`npm run bench\` — ${date}, ${m.label}`, '');
  lines.push(
    `**Machine:** ${m.cpuModel}, ${m.cpuCount} cores, ${m.totalMemoryGiB} GiB RAM, Node ${m.node}, ${m.platform} ${m.osRelease}. ` +
      `Load average at the start ${m.loadAverageAtStart.join(' / ')}${m.loadAverageAtEnd ? `, at the end ${m.loadAverageAtEnd.join(' / ')}` : ''} ` +
      `(1 / 5 / 15 min). **A shared machine:** other sessions' builds and tests ran during the run; the *others* column is the CPU they took ` +
      `(% of one core) while each gateway was measured.`,
    '',
    `**Data set:** \`npm run seed -- --scale ${r.dataset.scale} --seed ${r.dataset.seed}\` (infra/seed, digest \`${r.dataset.digest.slice(0, 16)}\`): ` +
      `${fmt(c.villagesAndCommunities)} villages and communities, ${fmt(c.people)} people, ${fmt(c.terms)} committee terms, ${fmt(c.elections)} elections, ` +
      `${fmt(c.candidates)} candidates, ${fmt(c.voters)} voters, ${fmt(c.complaints)} complaints, ${fmt(c.enrolments)} training enrolments; ` +
      `a copy of the kept snapshot (${r.dataset.copySeconds} s${r.dataset.snapshotBuiltSeconds ? `; built in this run in ${fmt(r.dataset.snapshotBuiltSeconds)} s` : ''}), ${r.dataset.note}.`,
    '',
    `**Setup:** the five subgraphs in the bench's process (one event loop); our gateway (\`gateway/src/main.ts\`, NODE_ENV=production, every limit on except the per-user rate limit) ` +
      `and Hive Gateway ${r.settings.hiveGateway} (\`hive-gateway supergraph\`, defaults, Authorization and the subgraph credential forwarded) each in a process of its own on the same ` +
      `supergraph file and subgraph URLs; autocannon on a thread of its own, ${r.settings.connections} connections, keep-alive. Per operation and gateway ${r.settings.warmupS} s warm-up, ` +
      `then ${r.settings.durationS} s measured in two halves in the order ours, Hive, Hive, ours; the variables rotate over every target; every answer checked (HTTP 200, \`data\`, no \`errors\`), ` +
      `and both gateways' answers to the first three targets compared byte for byte. Events: ${r.settings.bus}.`,
    '',
  );

  if (r.compare?.length) {
    lines.push('## Our gateway vs Hive Gateway', '');
    lines.push('| operation | rotates over | ours req/s | Hive req/s | ours ÷ Hive | ours p50 / p95 / p99 ms | Hive p50 / p95 / p99 ms | gateway CPU % ours / Hive | others CPU % |');
    lines.push('|---|---|---:|---:|---:|---|---|---|---:|');
    for (const o of r.compare) {
      lines.push(
        `| ${o.title} | ${fmt(o.targets)} ${o.targetKind} | ${fmt(o.ours.rps, 1)} | ${fmt(o.hive.rps, 1)} | **${ratio(o.ratio.rps)}** | ${lat(o.ours)} | ${lat(o.hive)} | ` +
          `${fmt(o.ours.cpuPercent.gateway)} / ${fmt(o.hive.cpuPercent.gateway)} | ${fmt(Math.max(o.ours.cpuPercent.others ?? 0, o.hive.cpuPercent.others ?? 0))} |`,
      );
    }
    lines.push('');
    if (chartFile) lines.push(`![throughput and p99 per operation, ours and Hive Gateway](${chartFile})`, '');
  }

  if (r.sql?.length) {
    lines.push('## SQL statements per operation', '');
    lines.push(
      'Summed over the subgraphs, one request each, without BEGIN/COMMIT, for a small answer and a large one (a count that grew with the answer would be an N+1). ' +
        "Then every statement of the large request through ours once more under EXPLAIN ANALYZE, with its parameters, on the subgraph's own connection: PostgreSQL's " +
        'execution time summed and the slowest, and any sequential scan that read more than 1,000 rows.',
      '',
    );
    lines.push('| operation | small → large answer | statements via ours | via Hive | by subgraph (ours) | subgraph fetches ours / Hive | EXPLAIN ANALYZE, large: all / slowest ms | sequential scans |');
    lines.push('|---|---|---|---|---|---|---:|---|');
    for (const s of r.sql) {
      const by = Object.entries(s.bySubgraph).map(([name, [a, b]]) => `${name} ${a === b ? a : `${a}→${b}`}`).join(', ');
      lines.push(
        `| ${s.id} | ${s.sizes[0]} → ${s.sizes[1]} | ${s.ours[0]} → ${s.ours[1]} | ${s.hive[0]} → ${s.hive[1]} | ${by} | ${s.fetches.ours.join(' → ')} / ${s.fetches.hive.join(' → ')} | ` +
          `${ms(s.explain.executionMs)} / ${ms(s.explain.slowestMs)} | ${s.explain.seqScans.join(', ') || 'none'} |`,
      );
    }
    const slowest = [...r.sql].sort((a, b) => b.explain.slowestMs - a.explain.slowestMs)[0];
    if (slowest?.explain.slowest) lines.push('', `Slowest statement (${slowest.id}, ${ms(slowest.explain.slowestMs)} ms): \`${slowest.explain.slowest.replace(/`/g, "'")}…\``);
    lines.push('');
  }

  if (r.overhead) {
    const o = r.overhead;
    lines.push('## Gateway overhead', '');
    lines.push(`The same one-subgraph query (${o.operation}), rotating over ${fmt(2000)} people, ABBA-interleaved.`, '');
    lines.push('| sent | req/s | p50 / p95 / p99 ms | throughput ÷ direct | p50 added ms |');
    lines.push('|---|---:|---|---:|---:|');
    lines.push(`| straight to the personnel subgraph | ${fmt(o.direct.rps, 1)} | ${lat(o.direct)} | 1.00× | – |`);
    lines.push(`| through our gateway | ${fmt(o.ours.rps, 1)} | ${lat(o.ours)} | **${ratio(o.oursRatio)}** | ${ms(o.oursAddedP50Ms)} |`);
    lines.push(`| through Hive Gateway | ${fmt(o.hive.rps, 1)} | ${lat(o.hive)} | ${ratio(o.hiveRatio)} | ${ms(o.hiveAddedP50Ms)} |`);
    lines.push('');
  }

  if (r.relay || r.lag) {
    lines.push('## Events', '');
    if (r.relay) {
      const x = r.relay;
      lines.push('| publisher | events | seconds | events/s |');
      lines.push('|---|---:|---:|---:|');
      lines.push(`| outbox relay (OutboxRelay, batches of ${x.batchSize}: lock, read, publish, mark, commit) | ${fmt(x.events)} | ${fmt(x.relay.seconds, 2)} | ${fmt(x.relay.eventsPerSecond)} |`);
      lines.push(`| raw kafkajs producer, the same messages and batches, idempotent, acks=all | ${fmt(x.events)} | ${fmt(x.raw.seconds, 2)} | ${fmt(x.raw.eventsPerSecond)} |`);
      lines.push(`| **relay ÷ raw** | | | **${ratio(x.ratio)}** |`);
      lines.push('', `Messages of ${fmt(x.payloadBytes)} bytes (PositionAssigned-shaped) on a 3-partition topic of the same broker.`, '');
    }
    if (r.lag) {
      const l = r.lag;
      lines.push(
        `**End to end**, registerPerson through our gateway (answered after its transaction, with the outbox row, committed) until training's database holds the training record ` +
          `(relay → Kafka → consumer → its transaction), one at a time, ${l.samples} samples, polled every ${l.pollMs} ms: ` +
          `**p50 ${ms(l.p50)} ms, p99 ${ms(l.p99)} ms** (p95 ${ms(l.p95)}, max ${ms(l.max)}); the registration itself took ${ms(l.writeP50)} ms at p50.`,
        '',
      );
    }
  }

  if (r.imports) {
    const { people: p, voters: v } = r.imports;
    lines.push('## Bulk import', '');
    lines.push('| import | rows | seconds | rows/s | peak RSS of the services\' process (MiB, at start) |');
    lines.push('|---|---:|---:|---:|---|');
    lines.push(`| register (personnel \`/import\`): 德阳市's 6 counties, ${fmt(r.settings.importUnits)} villages/communities, ${fmt(p.people)} people | ${fmt(p.rows)} | ${fmt(p.seconds, 1)} | ${fmt(p.rowsPerSecond)} (${fmt(p.peoplePerSecond)} people/s) | ${fmt(p.peakRssMiB)} (${fmt(p.rssAtStartMiB)}) |`);
    lines.push(`| voter roll (elections \`/voters/import\`) | ${fmt(v.voters)} | ${fmt(v.seconds, 1)} | ${fmt(v.linesPerSecond)} | ${fmt(v.peakRssMiB)} (${fmt(v.rssAtStartMiB)}) |`);
    const via = r.settings.bus.startsWith('Kafka') ? 'Kafka' : 'the in-process bus';
    lines.push(
      '',
      p.trainingCaughtUpS === null
        ? `The register's ${fmt(p.people)} PersonRegistered events through ${via}: training had opened ${fmt(p.trainingFilesOpened)} files ${fmt(r.settings.catchUpS)} s after the import ended (${fmt(p.trainingFilesPerSecond)} a second from the import's start; the run does not wait longer).`
        : `The register's ${fmt(p.people)} PersonRegistered events through ${via}: training had a file for every person ${fmt(p.trainingCaughtUpS, 1)} s after the import ended (${fmt(p.trainingFilesPerSecond)} a second from the import's start).`,
      '',
    );
  }

  const mem = Object.entries(r.gatewayMemoryMiB).filter(([, v]) => v);
  if (mem.length) lines.push(`**Gateway memory** after the load (RSS / peak, MiB): ${mem.map(([k, v]) => `${k === 'ours' ? 'ours' : 'Hive'} ${v!.rss} / ${v!.peak}`).join('; ')}.`, '');
  if (r.notes.length) lines.push('## Notes', '', ...r.notes.map((n) => `- ${n}`), '');
  lines.push(`Run took ${fmt(r.durationS)} s. Every figure, with CPU per process: the JSON beside this file.`, '');
  return lines.join('\n');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Two panels of grouped bars, throughput and p99 per operation, ours and Hive; no dependencies. */
export function chartSvg(r: SuiteReport): string {
  const ops = r.compare ?? [];
  const width = 960;
  const height = 380;
  const panelW = 430;
  const top = 70;
  const plotH = 220;
  const colors = { ours: '#2563eb', hive: '#f59e0b' };
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  parts.push(
    `<text x="20" y="24" font-size="15" font-weight="bold">${esc(`Our gateway vs Hive Gateway — ${r.startedAt.slice(0, 10)}, ${r.machine.cpuCount} cores (${r.machine.cpuModel}), shared machine`)}</text>`,
  );
  parts.push(
    `<text x="20" y="44" fill="#444">${esc(`infra/seed ${r.dataset.scale}; ${r.settings.connections} connections, ${r.settings.durationS} s per gateway per operation; load average at start ${r.machine.loadAverageAtStart.join(' / ')}`)}</text>`,
  );
  const panel = (x0: number, title: string, value: (f: LoadFigures) => number, unit: string) => {
    const max = Math.max(1, ...ops.flatMap((o) => [value(o.ours), value(o.hive)]));
    const scale = plotH / (max * 1.15);
    parts.push(`<text x="${x0}" y="${top - 8}" font-weight="bold">${esc(title)}</text>`);
    parts.push(`<line x1="${x0}" y1="${top + plotH}" x2="${x0 + panelW}" y2="${top + plotH}" stroke="#999"/>`);
    const group = panelW / Math.max(1, ops.length);
    const bar = Math.min(32, group / 3);
    ops.forEach((o, i) => {
      const gx = x0 + i * group + (group - 2 * bar - 4) / 2;
      (['ours', 'hive'] as const).forEach((g, j) => {
        const v = value(o[g]);
        const h = Math.max(1, v * scale);
        const x = gx + j * (bar + 4);
        const y = top + plotH - h;
        parts.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${bar.toFixed(1)}" height="${h.toFixed(1)}" fill="${colors[g]}"/>`);
        const label = v >= 100 ? Math.round(v).toString() : v >= 10 ? v.toFixed(1) : v.toFixed(2);
        parts.push(`<text x="${(x + bar / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle" font-size="10">${label}</text>`);
      });
      parts.push(`<text x="${(x0 + i * group + group / 2).toFixed(1)}" y="${top + plotH + 16}" text-anchor="middle">${esc(o.id)}</text>`);
      parts.push(`<text x="${(x0 + i * group + group / 2).toFixed(1)}" y="${top + plotH + 30}" text-anchor="middle" fill="#444" font-size="10">${esc(`×${o.ratio[unit === 'req/s' ? 'rps' : 'p99'].toFixed(2)}`)}</text>`);
    });
  };
  panel(30, 'throughput, req/s (higher is better)', (f) => f.rps, 'req/s');
  panel(510, 'p99 latency, ms (lower is better)', (f) => f.p99, 'ms');
  const ly = height - 22;
  parts.push(`<rect x="30" y="${ly - 10}" width="12" height="12" fill="${colors.ours}"/><text x="48" y="${ly}">ours (@apollo/gateway)</text>`);
  parts.push(`<rect x="220" y="${ly - 10}" width="12" height="12" fill="${colors.hive}"/><text x="238" y="${ly}">Hive Gateway</text>`);
  parts.push(`<text x="360" y="${ly}" fill="#444">×: ours ÷ Hive under each operation</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** Writes <stem>.md, .svg and .json and, for a complete run, their latest.* copies; returns the Markdown's path. */
export function writeSuiteResults(dir: string, r: SuiteReport, complete: boolean): string {
  mkdirSync(dir, { recursive: true });
  // A run of some sections or operations gets a name of its own and leaves latest.* alone.
  const stem = `${r.startedAt.slice(0, 10)}-${r.machine.label}-report${complete ? '' : '-partial'}`;
  const svg = r.compare?.length ? chartSvg(r) : null;
  if (svg) writeFileSync(join(dir, `${stem}.svg`), svg);
  writeFileSync(join(dir, `${stem}.json`), `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(join(dir, `${stem}.md`), markdown(r, svg ? `${stem}.svg` : undefined));
  if (!complete) return join(dir, `${stem}.md`);
  // latest.md points at latest.svg, so the pair stays together.
  writeFileSync(join(dir, 'latest.md'), markdown(r, svg ? 'latest.svg' : undefined));
  if (svg) copyFileSync(join(dir, `${stem}.svg`), join(dir, 'latest.svg'));
  copyFileSync(join(dir, `${stem}.json`), join(dir, 'latest.json'));
  return join(dir, `${stem}.md`);
}
