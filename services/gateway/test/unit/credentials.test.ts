import { ServiceClientRegistry } from '../../src/domain/service-clients';
import { jwkThumbprint } from '../../src/domain/signing-key';

const registry = new ServiceClientRegistry([{ clientId: 'certificates', secret: 'a-secret-of-16-chars', scopes: ['ledger:read', 'ledger:write'] }]);

describe('ServiceClientRegistry.grant', () => {
  test('Without a scope asked for, the client gets all of its scopes', () => {
    expect(registry.grant('certificates', 'a-secret-of-16-chars').scopes).toEqual(['ledger:read', 'ledger:write']);
  });

  test('Asked scopes narrow the grant, repeats and extra spaces ignored', () => {
    expect(registry.grant('certificates', 'a-secret-of-16-chars', '  ledger:read ledger:read ').scopes).toEqual(['ledger:read']);
  });

  test('A scope the client does not have is refused by name, and nothing is granted', () => {
    expect(() => registry.grant('certificates', 'a-secret-of-16-chars', 'ledger:read registry:write')).toThrow(
      expect.objectContaining({ code: 'scope_not_allowed', extensions: { scopes: ['registry:write'] } }),
    );
  });

  test('An unknown client and a wrong secret get the same answer', () => {
    const unknown = () => registry.grant('nobody', 'a-secret-of-16-chars');
    const wrong = () => registry.grant('certificates', 'a-secret-of-16-chars!');
    expect(unknown).toThrow(expect.objectContaining({ code: 'invalid_client' }));
    expect(wrong).toThrow(expect.objectContaining({ code: 'invalid_client' }));
  });
});

test('The key id is the RFC 7638 thumbprint (the RFC’s own example)', () => {
  const n =
    '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw';
  expect(jwkThumbprint({ kty: 'RSA', n, e: 'AQAB' })).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
});
