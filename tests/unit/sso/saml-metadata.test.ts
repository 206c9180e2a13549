import { describe, expect, it } from 'vitest';
import { ConfigError, readEnv } from '../../../src/config.js';
import { parseCertificates, readIdpMetadata, samlClaims } from '../../../src/domain/sso/saml-metadata.js';
import { translator } from '../../../src/i18n/translator.js';
import { EMAIL_FORMAT, IDP_CERT, idpMetadataXml, OTHER_CERT } from '../../helpers/saml-idp.js';

const body = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

describe('reading IdP metadata', () => {
  it('reads the entity id, the HTTP-Redirect SSO URL and every signing certificate', () => {
    const xml = idpMetadataXml({
      entityId: 'https://sts.windows.net/t/',
      ssoUrl: 'https://login.test/saml2',
      certs: [IDP_CERT, OTHER_CERT],
    });
    const read = readIdpMetadata(xml);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value.entityId).toBe('https://sts.windows.net/t/');
    expect(read.value.ssoUrl).toBe('https://login.test/saml2');
    expect(read.value.certificates.map(body)).toEqual([body(IDP_CERT), body(OTHER_CERT)]);
  });

  it('ignores encryption-only keys and takes keys without a use as signing keys', () => {
    const xml = idpMetadataXml({ ssoUrl: 'https://login.test/saml2', certs: [IDP_CERT, OTHER_CERT] })
      .replace('use="signing"', 'use="encryption"')
      .replace('use="signing"', '');
    const read = readIdpMetadata(xml);
    expect(read.ok && read.value.certificates.map(body)).toEqual([body(OTHER_CERT)]);
  });

  it('says what is wrong: not XML, not metadata, no redirect binding, no certificate', () => {
    const cases: Array<[string, RegExp]> = [
      ['not xml <<', /not SAML metadata/],
      ['<root/>', /not SAML metadata/],
      [
        idpMetadataXml({ ssoUrl: 'https://x.test/sso' }).replace(/HTTP-Redirect/g, 'HTTP-Artifact'),
        /HTTP-Redirect/,
      ],
      [idpMetadataXml({ ssoUrl: 'https://x.test/sso', certs: [] }), /certificate/],
      [
        idpMetadataXml({
          ssoUrl: 'https://x.test/sso',
          certs: ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'],
        }),
        /certificate/,
      ],
      [idpMetadataXml({ ssoUrl: 'javascript:alert(1)' }), /SSO URL/],
    ];
    for (const [xml, message] of cases) {
      const read = readIdpMetadata(xml);
      expect(read.ok).toBe(false);
      // The refusal is a message key; the admin reads it in their language (English here).
      if (!read.ok) expect(translator('en').t(read.error, read.values)).toMatch(message);
    }
  });

  it('refuses a document type declaration (entity expansion)', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>${idpMetadataXml({ ssoUrl: 'https://x.test/sso' }).replace(/^<\?xml[^>]*>/, '')}`;
    expect(readIdpMetadata(xml).ok).toBe(false);
  });
});

describe('certificates typed by hand', () => {
  it('takes PEM blocks or bare base64, one or several, as PEM', () => {
    const both = parseCertificates(`${IDP_CERT}\n${body(OTHER_CERT)}`);
    expect(both.ok && both.value.map(body)).toEqual([body(IDP_CERT), body(OTHER_CERT)]);
    expect(both.ok && both.value[0]).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
  });

  it('refuses anything that is not an X.509 certificate', () => {
    expect(parseCertificates('MIIBnotacert').ok).toBe(false);
    expect(parseCertificates('').ok).toBe(false);
  });
});

describe('a SAML profile as claims', () => {
  const mail = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
  it('reads the e-mail from the configured attribute, then the common names, then an e-mail NameID', () => {
    expect(samlClaims({ nameID: 'x', nameIDFormat: 'p', attributes: { [mail]: 'A@x.test' } }, {}).email).toBe(
      'A@x.test',
    );
    expect(samlClaims({ nameID: 'x', nameIDFormat: 'p', attributes: { email: 'b@x.test' } }, {}).email).toBe(
      'b@x.test',
    );
    expect(
      samlClaims(
        { nameID: 'x', nameIDFormat: 'p', attributes: { work: 'c@x.test' } },
        { emailAttribute: 'work' },
      ).email,
    ).toBe('c@x.test');
    expect(samlClaims({ nameID: 'd@x.test', nameIDFormat: EMAIL_FORMAT, attributes: {} }, {}).email).toBe(
      'd@x.test',
    );
    expect(
      samlClaims({ nameID: 'd@x.test', nameIDFormat: 'persistent', attributes: {} }, {}).email,
    ).toBeUndefined();
  });

  it('counts the asserted e-mail as verified and builds a name from given name and surname', () => {
    const claims = samlClaims(
      {
        nameID: 'x',
        nameIDFormat: 'p',
        attributes: { email: 'e@x.test', firstName: 'Ada', lastName: 'Lovelace' },
      },
      {},
    );
    expect(claims).toMatchObject({ email: 'e@x.test', email_verified: true, name: 'Ada Lovelace' });
  });
});

describe('SAML environment variables', () => {
  it('refuses OIDC and SAML both set, and a partial SAML set', () => {
    const oidc = { OIDC_ISSUER: 'https://op.test', OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 's' };
    expect(() => readEnv({ ...oidc, SAML_IDP_METADATA_URL: 'https://idp.test/metadata' })).toThrow(/both/);
    expect(() => readEnv({ SAML_IDP_ENTITY_ID: 'https://idp.test/' })).toThrow(ConfigError);
    expect(() =>
      readEnv({ SAML_IDP_ENTITY_ID: 'x', SAML_IDP_SSO_URL: 'https://idp.test/sso', SAML_IDP_CERT: 'nope' }),
    ).toThrow(/SAML_IDP_CERT/);
    const env = readEnv({
      SAML_IDP_ENTITY_ID: 'x',
      SAML_IDP_SSO_URL: 'https://idp.test/sso',
      SAML_IDP_CERT: IDP_CERT,
    });
    expect(env.SAML_JIT).toBe('off');
    // Metadata carries the keys every signature is checked with: https, or http on this machine only.
    expect(() => readEnv({ SAML_IDP_METADATA_URL: 'http://idp.test/metadata' })).toThrow(/https/);
    for (const host of ['127.0.0.1:8080', '[::1]', 'localhost'])
      expect(
        readEnv({ SAML_IDP_METADATA_URL: `http://${host}/metadata` }).SAML_IDP_METADATA_URL,
      ).toBeTruthy();
    expect(readEnv({ SAML_IDP_METADATA_URL: 'https://idp.test/metadata' }).SAML_PROVIDER_NAME).toBe(
      'single sign-on',
    );
  });
});
