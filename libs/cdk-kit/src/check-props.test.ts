import { App, Lazy, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { checkProps, numberRule } from './check-props';
import { InvalidPropsError } from './errors';

class Buffered extends Construct {
  constructor(scope: Construct, id: string, props: { readonly sizeMiB: number; readonly name: string }) {
    super(scope, id);
    checkProps(this, [
      numberRule('sizeMiB', props.sizeMiB, {
        kind: 'integer',
        min: 64,
        max: 128,
        expected: 'a whole number of MiB from 64 to 128',
      }),
      {
        prop: 'name',
        value: props.name,
        valid: /^[a-z-]+$/.test(props.name),
        expected: 'lower-case letters and hyphens',
        fix: 'pass a lower-case name',
      },
    ]);
  }
}

function stack(): Stack {
  return new Stack(new App(), 'Test');
}

describe('checkProps', () => {
  it('throws every broken rule at once, naming the construct and its path', () => {
    // Act
    let thrown: unknown;
    try {
      new Buffered(stack(), 'Buffer', { sizeMiB: 64.5, name: 'Buffer One' });
    } catch (error) {
      thrown = error;
    }

    // Assert
    expect(thrown).toBeInstanceOf(InvalidPropsError);
    expect((thrown as InvalidPropsError).name).toBe('InvalidPropsError');
    expect((thrown as InvalidPropsError).message).toBe(
      'Invalid props for Buffered at Test/Buffer:\n' +
        '- sizeMiB is 64.5; expected a whole number of MiB from 64 to 128. Fix: pass sizeMiB from 64 to 128.\n' +
        '- name is "Buffer One"; expected lower-case letters and hyphens. Fix: pass a lower-case name.',
    );
  });

  it.each([64, 100, 128])('accepts %s in range', (sizeMiB) => {
    expect(() => new Buffered(stack(), 'Buffer', { sizeMiB, name: 'buffer' })).not.toThrow();
  });

  it.each([63, 129, Number.NaN])('rejects %s out of range', (sizeMiB) => {
    expect(() => new Buffered(stack(), 'Buffer', { sizeMiB, name: 'buffer' })).toThrow(/sizeMiB is/);
  });

  it('leaves a value known only at deploy time unchecked', () => {
    // Prepare
    const name = Lazy.string({ produce: () => 'Resolved Later' });

    // Act
    const create = () => new Buffered(stack(), 'Buffer', { sizeMiB: 64, name });

    // Assert
    expect(create).not.toThrow();
  });
});
