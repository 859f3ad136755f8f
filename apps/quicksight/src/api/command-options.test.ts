import { CdkAppError, InvalidConfigurationError } from '@engagement-db/cdk-kit';
import { removeTestOutdirs, testProjectDirectory } from '../../test/test-stack';
import { commandOptionsOf } from './command-options';

afterAll(() => {
  removeTestOutdirs();
});

const alice = 'arn:aws:quicksight:us-east-1:123456789012:user/default/alice';

describe('commandOptionsOf', () => {
  it('reads the configuration with -c settings over config.json, and the command’s flags', () => {
    // Prepare
    const projectDirectory = testProjectDirectory({ principalArn: alice, namesPrefix: 'acme' });

    // Act
    const options = commandOptionsOf(
      ['--profile', 'prod', '-c', 'namesPrefix=other', '--out', 'exported/x.json', '--fail'],
      { projectDirectory, env: {} },
    );

    // Assert
    expect(options).toEqual({
      config: expect.objectContaining({ principalArn: alice, namesPrefix: 'other' }),
      profile: 'prod',
      out: 'exported/x.json',
      fail: true,
    });
  });

  it('refuses a flag it does not know, listing those it knows', () => {
    // Act
    const read = () =>
      commandOptionsOf(['--require-approval', 'never'], {
        projectDirectory: testProjectDirectory(),
        env: {},
      });

    // Assert
    expect(read).toThrow(CdkAppError);
    expect(read).toThrow(
      /Unknown option '--require-approval'.*; expected --profile <name>, -c <setting>=<value>, --out <file> or --fail\.$/,
    );
  });

  it('leaves the CDK CLI’s own flags to it when run before cdk deploy, still reading --profile and -c', () => {
    // Act
    const options = commandOptionsOf(
      ['--require-approval', 'never', '--profile', 'prod', '-c', `principalArn=${alice}`, '--all'],
      { projectDirectory: testProjectDirectory(), env: {}, cdkArguments: true },
    );

    // Assert
    expect(options.config.principalArn).toBe(alice);
    expect(options.profile).toBe('prod');
  });

  it('reports a wrong setting given with -c, naming the context', () => {
    // Act
    const read = () =>
      commandOptionsOf(['-c', 'edition=GOLD'], {
        projectDirectory: testProjectDirectory(),
        env: {},
        cdkArguments: true,
      });

    // Assert
    expect(read).toThrow(InvalidConfigurationError);
    expect(read).toThrow(/edition from CDK context is "GOLD"; expected STANDARD or ENTERPRISE/);
  });
});
