import { type QuickSightApiServer, startQuickSightApiServer } from '../../test/quicksight-api-server';
import { type QuickSightPrincipal, principalOf } from '../constructs/quicksight-permissions';
import { PrincipalCheckFailureKind, checkPrincipal } from './principal-check';

const account = '123456789012';
const alice = principalOf(
  `arn:aws:quicksight:us-east-1:${account}:user/default/alice`,
) as QuickSightPrincipal;
const federated = principalOf(
  `arn:aws:quicksight:us-east-1:${account}:user/default/Admin/bob`,
) as QuickSightPrincipal;
const analysts = principalOf(
  `arn:aws:quicksight:eu-west-1:${account}:group/default/analysts`,
) as QuickSightPrincipal;
const what = 'QuickSight user alice (namespace default, account 123456789012, identity region us-east-1)';

let server: QuickSightApiServer;

beforeEach(async () => {
  server = await startQuickSightApiServer();
});

afterEach(async () => {
  await server.close();
});

const user = (name: string, role: string, active = true) => ({
  Arn: `arn:aws:quicksight:us-east-1:${account}:user/default/${name}`,
  UserName: name,
  Role: role,
  Active: active,
  IdentityType: 'QUICKSIGHT',
});

describe('checkPrincipal', () => {
  it('finds an author with DescribeUser, signed for the principal’s identity region', async () => {
    // Prepare
    server.users.set(`${account}/default/alice`, user('alice', 'AUTHOR'));

    // Act
    const result = await checkPrincipal(server.client(alice.identityRegion), alice);

    // Assert
    expect(result).toEqual({ ok: true, value: `The ${what} exists: AUTHOR.` });
    expect(server.requests).toEqual([
      {
        method: 'GET',
        path: `/accounts/${account}/namespaces/default/users/alice`,
        signedRegion: 'us-east-1',
        signedService: 'quicksight',
      },
    ]);
  });

  it('finds a federated user whose name holds a slash, and says when it is not activated yet', async () => {
    // Prepare
    server.users.set(`${account}/default/Admin/bob`, user('Admin/bob', 'ADMIN', false));

    // Act
    const result = await checkPrincipal(server.client('us-east-1'), federated);

    // Assert
    expect(result).toEqual({
      ok: true,
      value:
        'The QuickSight user Admin/bob (namespace default, account 123456789012, identity region us-east-1) exists: ' +
        'ADMIN, not yet activated (the invitation is still open).',
    });
    expect(server.requests[0].path).toBe(`/accounts/${account}/namespaces/default/users/Admin/bob`);
  });

  it('finds a group with DescribeGroup', async () => {
    // Prepare
    server.groups.set(`${account}/default/analysts`, { GroupName: 'analysts', Arn: analysts.arn });

    // Act
    const result = await checkPrincipal(server.client(analysts.identityRegion), analysts);

    // Assert
    expect(result.ok).toBe(true);
    expect(server.requests.map((r) => [r.path, r.signedRegion])).toEqual([
      [`/accounts/${account}/namespaces/default/groups/analysts`, 'eu-west-1'],
    ]);
  });

  it('refuses a reader, who cannot own an analysis', async () => {
    // Prepare
    server.users.set(`${account}/default/alice`, user('alice', 'READER'));

    // Act
    const result = await checkPrincipal(server.client('us-east-1'), alice);

    // Assert
    expect(result).toEqual({
      ok: false,
      error: {
        kind: PrincipalCheckFailureKind.reader,
        message: expect.stringMatching(
          /^The QuickSight user alice .* is a READER: a reader cannot own an analysis/,
        ),
      },
    });
  });

  it('says a missing user is missing, with QuickSight’s message and how to list the users', async () => {
    // Act
    const result = await checkPrincipal(server.client('us-east-1'), alice);

    // Assert
    expect(result).toEqual({
      ok: false,
      error: {
        kind: PrincipalCheckFailureKind.notFound,
        message:
          `No ${what}: User not found: arn:aws:quicksight:us-east-1:${account}:user/default/alice. Fix: correct principalArn ` +
          `(\`aws quicksight list-users --aws-account-id ${account} --namespace default --region us-east-1\` lists them), ` +
          'or create the user first.',
      },
    });
  });

  it.each([
    [
      'AccessDeniedException',
      PrincipalCheckFailureKind.accessDenied,
      /^Not allowed to describe the .*quicksight:DescribeUser on arn:/,
    ],
    [
      'InternalFailureException',
      PrincipalCheckFailureKind.failed,
      /^Could not describe the .*: InternalFailureException: Simulated/,
    ],
  ] as const)('reports %s as %s without throwing', async (name, kind, message) => {
    // Prepare
    server.failures.push(name, name, name);

    // Act
    const result = await checkPrincipal(server.client('us-east-1'), alice);

    // Assert
    expect(result).toEqual({ ok: false, error: { kind, message: expect.stringMatching(message) } });
  });

  it('retries throttling as the SDK does, and reports it when QuickSight keeps throttling', async () => {
    // Prepare
    server.users.set(`${account}/default/alice`, user('alice', 'AUTHOR'));
    server.failures.push('ThrottlingException', 'ThrottlingException');

    // Act
    const recovered = await checkPrincipal(server.client('us-east-1', 3), alice);
    server.failures.push('ThrottlingException', 'ThrottlingException');
    const throttled = await checkPrincipal(server.client('us-east-1', 2), alice);

    // Assert
    expect(recovered.ok).toBe(true);
    expect(throttled).toEqual({
      ok: false,
      error: {
        kind: PrincipalCheckFailureKind.throttled,
        message: expect.stringMatching(/throttled .* Fix: run the deploy again/),
      },
    });
    expect(server.requests).toHaveLength(5);
  });
});
