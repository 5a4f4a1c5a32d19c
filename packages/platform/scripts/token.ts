// npm run token -- --role ORG_ADMIN --region 510100000000 [--dept PUBLIC_SECURITY] [--sub alice] [--expires 8h]
// Prints a signed development token as its last line. Uses AUTH_JWT_SECRET, or the local default.
import { parseArgs } from 'node:util';
import { DEV_JWT_SECRET, ROLES, issueToken, isDivisionCode, type Role } from '../src';

const { values } = parseArgs({
  options: {
    role: { type: 'string', multiple: true, default: ['ORG_ADMIN'] },
    region: { type: 'string', default: '000000000000' },
    dept: { type: 'string' },
    sub: { type: 'string', default: 'dev-user' },
    expires: { type: 'string', default: '8h' },
    help: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

if (values.help) {
  process.stdout.write(
    'usage: npm run token -- --role ROLE [--role ROLE] --region CODE [--dept DEPT] [--sub USER] [--expires 8h]\n' +
      `  roles: ${ROLES.join(', ')}\n  region: a 12-digit 行政区划代码; 000000000000 = nationwide (default)\n`,
  );
  process.exit(0);
}
const roles = values.role.flatMap((r) => r.split(',')).map((r) => r.trim().toUpperCase());
const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
if (unknown.length) fail(`unknown role ${unknown.join(', ')}; roles are ${ROLES.join(', ')}`);
if (!isDivisionCode(values.region)) fail(`--region must be a 12-digit 行政区划代码, got ${values.region}`);
if (roles.includes('REVIEWER') && !values.dept) fail('a REVIEWER token needs --dept (the 联审 department code)');

const secret = process.env.AUTH_JWT_SECRET ?? DEV_JWT_SECRET;
issueToken(
  { userId: values.sub, roles: roles as Role[], regionCode: values.region, department: values.dept, expiresIn: values.expires },
  { secret, issuer: process.env.AUTH_ISSUER, audience: process.env.AUTH_AUDIENCE },
).then((token) => {
  process.stderr.write(`token for ${values.sub}: roles ${roles.join(',')}, region ${values.region}, expires in ${values.expires}\n`);
  process.stdout.write(`${token}\n`);
});
