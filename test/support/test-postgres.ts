import pg from 'pg';

export const DEFAULT_TEST_POSTGRES = 'postgres://postgres@127.0.0.1:5432/test';

export async function probePostgres(): Promise<{ uri?: string; skip?: string }> {
  const uri = process.env.BATON_TEST_POSTGRES ?? DEFAULT_TEST_POSTGRES;
  const client = new pg.Client({ connectionString: uri, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { uri };
  } catch (e) {
    return { skip: `no PostgreSQL at BATON_TEST_POSTGRES / ${DEFAULT_TEST_POSTGRES} (${(e as Error).message})` };
  } finally {
    await client.end().catch(() => {});
  }
}
