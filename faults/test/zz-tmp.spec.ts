import { startOwnPostgres } from '@huanjie/testkit';
it('starts and stops', async () => {
  const pg = await startOwnPostgres();
  await pg.halt();
  await pg.resume();
  await pg.stop();
}, 60_000);
