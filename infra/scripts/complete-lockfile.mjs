// Adds lockfile entries for other platforms' native binaries (darwin, win32, arm, …) that an
// install on a machine with a partial registry mirror leaves out. `npm ci` refuses a lockfile
// that lacks an optional dependency it knows of, even one it would skip on this platform.
// The entries carry only what npm needs to skip them here (version, os, cpu, libc); on the
// matching platform npm resolves them from the registry as usual.
// Usage: node infra/scripts/complete-lockfile.mjs   (after `npm install` changes the lockfile)
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));

function platformOf(name) {
  const os = /darwin/.test(name) ? 'darwin' : /win32|windows/.test(name) ? 'win32' : /android/.test(name) ? 'android'
    : /freebsd/.test(name) ? 'freebsd' : /openharmony/.test(name) ? 'openharmony' : /linux/.test(name) ? 'linux' : null;
  const cpu = /arm64|aarch64/.test(name) ? 'arm64' : /-arm(-|$)/.test(name) ? 'arm' : /ia32/.test(name) ? 'ia32'
    : /ppc64/.test(name) ? 'ppc64' : /s390x/.test(name) ? 's390x' : /loong64/.test(name) ? 'loong64'
    : /riscv64/.test(name) ? 'riscv64' : /x64|-64$/.test(name) ? 'x64' : null;
  const libc = os === 'linux' ? (/musl/.test(name) ? 'musl' : /gnu/.test(name) ? 'glibc' : null) : null;
  return os && cpu ? { os, cpu, libc } : null;
}

let added = 0;
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const target = `node_modules/${dep}`;
    if (lock.packages[target]) continue;
    const platform = platformOf(dep);
    if (!platform) {
      console.warn(`complete-lockfile: ${dep} (optional dependency of ${key}) is missing and its platform is unknown; left as is`);
      continue;
    }
    lock.packages[target] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      os: [platform.os],
      cpu: [platform.cpu],
      ...(platform.libc ? { libc: [platform.libc] } : {}),
    };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform entries`);
