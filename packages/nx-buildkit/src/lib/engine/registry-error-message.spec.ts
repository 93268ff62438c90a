import { registryErrorMessage } from './registry';

describe('registryErrorMessage', () => {
  it('reads a 401/403 status or its words as refused credentials', () => {
    expect(registryErrorMessage('localhost:5000/api:1', 'ERROR: unexpected status: 401 Unauthorized')).toContain('refused the credentials');
    expect(registryErrorMessage('localhost:5000/api:1', 'failed: 403')).toContain('refused the credentials');
  });

  it('does not take a port or digest holding 401 or 403 for a refusal', () => {
    const message = registryErrorMessage('localhost:40333/api:1', 'dial tcp 127.0.0.1:40333: connect: connection refused');
    expect(message).toContain('Could not reach the registry "localhost:40333"');
  });
});
