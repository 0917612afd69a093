import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from './config.js';

const refusal = (env: Record<string, string>) => {
  try {
    loadConfig({ ...env });
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
};

describe('settings read from the environment', () => {
  it('reads TRUST_PROXY in the forms Fastify trusts, and refuses the rest by name', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true);
    assert.equal(loadConfig({ TRUST_PROXY: '0' }).trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
    assert.deepEqual(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8, ::1, loopback' }).trustProxy, [
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'loopback',
    ]);
    for (const wrong of ['10.0.0.0/33', 'oui', '300.1.1.1', '10.0.0.0/8/1']) {
      assert.match(refusal({ TRUST_PROXY: wrong }), /^TRUST_PROXY doit valoir true, false, un nombre de proxys/, wrong);
    }
  });

  it('reads the S3 bucket and refuses half a pair of keys or an unknown download mode', () => {
    assert.equal(loadConfig({}).s3, undefined);
    const s3 = loadConfig({
      S3_BUCKET: 'fichiers',
      S3_ENDPOINT: 'https://s3.fr-par.scw.cloud',
      S3_REGION: 'fr-par',
    }).s3;
    assert.deepEqual(
      { ...s3 },
      {
        endpoint: 'https://s3.fr-par.scw.cloud',
        region: 'fr-par',
        bucket: 'fichiers',
        credentials: undefined,
        forcePathStyle: true,
        downloads: 'stream',
        urlTtlSeconds: 300,
      },
    );
    assert.match(refusal({ S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'x' }), /vont ensemble/);
    assert.match(refusal({ S3_BUCKET: 'b', S3_DOWNLOADS: 'proxy' }), /S3_DOWNLOADS doit valoir stream ou redirect/);
    assert.match(refusal({ S3_BUCKET: 'b', S3_ENDPOINT: 's3.example' }), /S3_ENDPOINT doit être une adresse/);
  });

  it('asks ProConnect for HTTPS, except on this machine, and for its client', () => {
    assert.match(refusal({ PROCONNECT_ISSUER: 'http://proconnect.example' }), /doit être une adresse https/);
    assert.match(refusal({ PROCONNECT_ISSUER: 'https://proconnect.example' }), /demande PROCONNECT_CLIENT_ID/);
    const local = {
      PROCONNECT_ISSUER: 'http://127.0.0.1:4000',
      PROCONNECT_CLIENT_ID: 'a',
      PROCONNECT_CLIENT_SECRET: 'b',
    };
    assert.equal(loadConfig(local).proconnect?.issuer, 'http://127.0.0.1:4000');
  });
});
